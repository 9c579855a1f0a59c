using Chancery.Core.Documents;

namespace Chancery.Ingest.Tei;

/// <summary>
/// Reads a FRUS TEI volume, streaming, one document at a time.
/// (API skeleton: the implementation is being written.)
/// </summary>
public sealed class TeiVolumeReader : IDisposable
{
    private TeiVolumeReader(string path, string sha256)
    {
        Path = path;
        Sha256 = sha256;
    }

    public string Path { get; }
    public string Sha256 { get; }

    /// <summary>Opens a volume file; the SHA-256 of its bytes is taken first.</summary>
    public static TeiVolumeReader Open(string path) => new(path, Hashing.Sha256OfFile(path));

    /// <summary>
    /// The documents in order. Throws <see cref="SourceFormatException"/> at the first error.
    /// </summary>
    public IEnumerable<Document> ReadDocuments() => throw new NotImplementedException();

    /// <summary>The volume's metadata; complete once <see cref="ReadDocuments"/> has been enumerated to the end.</summary>
    public Volume Volume => throw new NotImplementedException();

    public void Dispose()
    {
    }
}

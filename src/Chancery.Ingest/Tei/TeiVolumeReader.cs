using Chancery.Core.Documents;

namespace Chancery.Ingest.Tei;

/// <summary>
/// Reads a FRUS TEI volume, streaming, one document at a time: the file is never loaded whole, only the document
/// being read is in memory. Untrusted input is safe: DTDs are refused (no entity expansion, nothing fetched from
/// outside) and every problem is a <see cref="SourceFormatException"/> naming file, line and column.
/// </summary>
/// <example>
/// <code>
/// using var reader = TeiVolumeReader.Open("frus1948v05p1.xml");
/// foreach (var document in reader.ReadDocuments()) { … }
/// var volume = reader.Volume;   // complete now
/// </code>
/// </example>
public sealed class TeiVolumeReader : IDisposable
{
    private TeiVolumeParser? _parser;
    private Volume? _volume;

    private TeiVolumeReader(string path, string sha256)
    {
        Path = path;
        Sha256 = sha256;
    }

    /// <summary>The file being read.</summary>
    public string Path { get; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes, taken when it was opened.</summary>
    public string Sha256 { get; }

    /// <summary>Opens a volume file; the SHA-256 of its bytes is taken first.</summary>
    public static TeiVolumeReader Open(string path) => new(path, Hashing.Sha256OfFile(path));

    /// <summary>
    /// The documents in file order, each <c>div type="document"</c> once (a <c>document-pending</c> div gives a
    /// withheld placeholder). Each call reads the file again from the start.
    /// Throws <see cref="SourceFormatException"/> at the first error.
    /// </summary>
    public IEnumerable<Document> ReadDocuments()
    {
        _parser?.Dispose();
        var parser = new TeiVolumeParser(Path, Sha256);
        _parser = parser;
        _volume = null;
        try
        {
            while (parser.Next() is { } documents)
            {
                foreach (var document in documents)
                {
                    yield return document;
                }
            }
            _volume = parser.BuildVolume();
        }
        finally
        {
            parser.Dispose();
        }
    }

    /// <summary>
    /// The volume's metadata: complete (persons, terms, table of contents) once <see cref="ReadDocuments"/> has been
    /// enumerated to the end; before that, what has been read so far, or only the header when nothing has.
    /// </summary>
    public Volume Volume
    {
        get
        {
            if (_volume is not null)
            {
                return _volume;
            }
            if (_parser is not null)
            {
                return _parser.BuildVolume();
            }
            using var header = new TeiVolumeParser(Path, Sha256);
            header.ReadHeaderOnly();
            return header.BuildVolume();
        }
    }

    public void Dispose()
    {
        _parser?.Dispose();
        _parser = null;
    }
}

using Chancery.Core.Documents;

namespace Chancery.Archive;

/// <summary>Ingest helpers over the contract, shared by the CLI, the benchmarks and the tests.</summary>
public static class ArchiveIngest
{
    /// <summary>
    /// Streams a volume's documents into the archive in one transaction and commits it. The volume id is taken
    /// from the first document (readers learn it from the file's header), else from the finished volume.
    /// Throws whatever the reader throws; nothing is stored then.
    /// </summary>
    /// <returns>The number of documents stored.</returns>
    public static int IngestVolume(this IArchive archive, IEnumerable<Document> documents, Func<Volume> volume, Action<Document>? progress = null)
    {
        IVolumeIngest? tx = null;
        // the reader parses ahead on a second core while this thread writes
        using var ahead = new ReadAhead<Document>(documents, capacity: 256);
        try
        {
            var n = 0;
            foreach (var d in ahead.Items())
            {
                tx ??= archive.BeginVolume(d.Volume);
                tx.Add(d);
                n++;
                progress?.Invoke(d);
            }
            var v = volume();
            tx ??= archive.BeginVolume(v.Id);
            tx.Commit(v);
            return n;
        }
        finally
        {
            tx?.Dispose();
        }
    }
}

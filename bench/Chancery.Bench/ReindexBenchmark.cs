using System.Diagnostics;
using Chancery.Archive.Search;
using Chancery.Archive.Sqlite;
using Lucene.Net.Index;
using Lucene.Net.Store;

namespace Chancery.Bench;

/// <summary>
/// Writes an archive's full-text index afresh, in the current index format, from the texts another index of the same
/// rows stored (a copy of the archive taken before a format change): the texts of a row never change, so this is
/// what the archive's own rebuild would write, without reading every document back from the database.
/// </summary>
/// <remarks>
/// usage: reindex ARCHIVE_DIR FROM_INDEX_DIR [--threads N]. For preparing a large benchmark archive after an index
/// format change (the 1,000,000-document one takes over an hour to rebuild through its first search on a shared
/// machine). Rows the source index lacks, or holds but the database no longer has, are caught up by the archive's
/// first search as always.
/// </remarks>
internal static class ReindexBenchmark
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: reindex ARCHIVE_DIR FROM_INDEX_DIR [--threads N]");
            return 2;
        }
        var threads = BenchArgs.Int(args, "--threads", 2);
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        using var source = FSDirectory.Open(args[1]);
        using var reader = DirectoryReader.Open(source);
        var index = LuceneSearchIndex.For(args[0]);
        long written = 0;
        var ok = index.TryWrite(writer =>
        {
            var leaves = reader.Leaves;
            Parallel.ForEach(leaves, new ParallelOptions { MaxDegreeOfParallelism = threads }, leaf =>
            {
                var r = leaf.AtomicReader;
                var rows = r.GetNumericDocValues("row");
                var live = r.LiveDocs;
                for (var doc = 0; doc < r.MaxDoc; doc++)
                {
                    if (rows is null || (live is not null && !live.Get(doc)))
                    {
                        continue;
                    }
                    var stored = r.Document(doc);
                    var texts = LuceneSearchIndex.Fields.Select(f => stored.Get(f) ?? "").ToArray();
                    LuceneSearchIndex.Add(writer, rows.Get(doc), SearchText.Of(texts));
                    if (Interlocked.Increment(ref written) % 100_000 == 0)
                    {
                        Console.WriteLine($"{written} rows, {clock.Elapsed.TotalSeconds:F0} s");
                    }
                }
            });
        }, waitMs: 10_000);
        if (!ok)
        {
            Console.Error.WriteLine($"error: another writer holds the index of {args[0]}");
            return 1;
        }
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"{written} rows indexed in {clock.Elapsed.TotalSeconds:F1} s wall, {used.TotalSeconds:F1} s CPU; load average {BenchArgs.LoadAverage()}");
        return 0;
    }
}

using System.Diagnostics;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Data.Sqlite;

namespace Chancery.Bench;

/// <summary>
/// The engine choice, measured (issue: search): SQLite FTS5 against Lucene.Net on the same texts and the same
/// queries, in one run. Both index the five weighted fields of an existing archive's search rows (title, sender,
/// recipient, body, footnotes) into a fresh index; then every query of the committed set that has a free-text part
/// runs on both, interleaved, doing what a Chancery search does: the top 20 by BM25 (fields weighted 4/3/3/1/0.4),
/// the total, and a count of hits per volume over the whole result set (the facet pass).
/// </summary>
/// <remarks>usage: engines ARCHIVE_DIR [--rounds N]</remarks>
internal static class EngineBenchmark
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private static readonly string[] Fields = ["title", "sender", "recipient", "body", "footnotes"];
    private static readonly float[] Weights = [4f, 3f, 3f, 1f, 0.4f];

    private sealed record Row(long Id, long Volume, string[] Texts);

    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: engines ARCHIVE_DIR [--rounds N]");
            return 2;
        }
        var rounds = args.Length > 2 && args[1] == "--rounds" ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var rows = LoadRows(Path.Combine(args[0], "archive.db"));
        var mb = rows.Sum(r => r.Texts.Sum(t => (long)t.Length)) / 1e6;
        Console.WriteLine($"texts: {rows.Count} search rows, {mb:F0} M characters, from {args[0]}; load average {Load()}");

        var temp = System.IO.Directory.CreateTempSubdirectory("chancery-engines-");
        try
        {
            var ftsFile = Path.Combine(temp.FullName, "fts.db");
            var (ftsWall, ftsCpu) = Measure(() => BuildFts(ftsFile, rows));
            var luceneFolder = Path.Combine(temp.FullName, "lucene");
            var (luceneWall, luceneCpu) = Measure(() => BuildLucene(luceneFolder, rows));
            var ftsSize = new FileInfo(ftsFile).Length / 1e6;
            var luceneSize = new DirectoryInfo(luceneFolder).GetFiles().Sum(f => f.Length) / 1e6;
            Console.WriteLine($"index build  FTS5:   {ftsWall:F1} s wall, {ftsCpu:F1} s CPU, {ftsSize:F0} MB");
            Console.WriteLine($"index build  Lucene: {luceneWall:F1} s wall, {luceneCpu:F1} s CPU, {luceneSize:F0} MB");

            var queries = File.ReadAllLines(SearchBenchmark.FindQueries())
                .Where(l => l.Length > 0 && !l.StartsWith('#'))
                .Select(l => SearchBenchmark.BareQuery(l.Split('\t')[0]))
                .OfType<string>().Distinct().ToList();

            using var fts = new SqliteConnection($"Data Source={ftsFile};Mode=ReadOnly");
            fts.Open();
            using var dir = FSDirectory.Open(luceneFolder);
            using var reader = DirectoryReader.Open(dir);
            var searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
            var parser = new MultiFieldQueryParser(Version, Fields, new FoldingAnalyzer(),
                Fields.Zip(Weights).ToDictionary(x => x.First, x => x.Second)) { DefaultOperator = Operator.AND };

            // warm-up, and a check that both engines see the same result sets
            var differ = new List<string>();
            foreach (var q in queries)
            {
                var a = Fts(fts, q);
                var b = Lucene(searcher, parser, q);
                if (a != b)
                {
                    differ.Add($"{q} (FTS5 {a}, Lucene {b})");
                }
            }
            Console.WriteLine($"{queries.Count} queries; totals differ on {differ.Count} (tokenisers differ: {string.Join("; ", differ.Take(5))})");

            var ftsMs = new List<double>();
            var luceneMs = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var q in queries)
                {
                    ftsMs.Add(Time(() => Fts(fts, q)));
                    luceneMs.Add(Time(() => Lucene(searcher, parser, q)));
                }
            }
            Console.WriteLine($"top 20 + total + per-volume counts  FTS5:   {SearchBenchmark.Percentiles(ftsMs)}");
            Console.WriteLine($"top 20 + total + per-volume counts  Lucene: {SearchBenchmark.Percentiles(luceneMs)}");
            Console.WriteLine($"load average at end {Load()}");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
        return 0;
    }

    private static List<Row> LoadRows(string db)
    {
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT t.rowid, r.volume, t.title, t.sender, t.recipient, t.body, t.footnotes
            FROM search_text t JOIN search_rows r ON r.id = t.rowid ORDER BY t.rowid
            """;
        using var r = cmd.ExecuteReader();
        var rows = new List<Row>();
        while (r.Read())
        {
            rows.Add(new Row(r.GetInt64(0), r.GetInt64(1), [.. Enumerable.Range(2, 5).Select(i => r.IsDBNull(i) ? "" : r.GetString(i))]));
        }
        return rows;
    }

    private static void BuildFts(string file, List<Row> rows)
    {
        using var c = new SqliteConnection($"Data Source={file}");
        c.Open();
        using (var setup = c.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode=WAL; PRAGMA cache_size=-131072;
                CREATE TABLE rows(id INTEGER PRIMARY KEY, volume INTEGER NOT NULL);
                CREATE VIRTUAL TABLE t USING fts5(title, sender, recipient, body, footnotes, tokenize = 'unicode61 remove_diacritics 2');
                """;
            setup.ExecuteNonQuery();
        }
        using var tx = c.BeginTransaction();
        using var row = c.CreateCommand();
        row.CommandText = "INSERT INTO rows(id, volume) VALUES ($id, $v)";
        var pid = row.Parameters.Add("$id", SqliteType.Integer);
        var pv = row.Parameters.Add("$v", SqliteType.Integer);
        using var text = c.CreateCommand();
        text.CommandText = "INSERT INTO t(rowid, title, sender, recipient, body, footnotes) VALUES ($id, $a, $b, $c, $d, $e)";
        var tp = new[] { "$id", "$a", "$b", "$c", "$d", "$e" }.Select(n => text.Parameters.Add(n, SqliteType.Text)).ToArray();
        foreach (var r in rows)
        {
            pid.Value = r.Id;
            pv.Value = r.Volume;
            row.ExecuteNonQuery();
            tp[0].Value = r.Id;
            for (var i = 0; i < 5; i++)
            {
                tp[i + 1].Value = r.Texts[i];
            }
            text.ExecuteNonQuery();
        }
        tx.Commit();
    }

    private static void BuildLucene(string folder, List<Row> rows)
    {
        using var dir = FSDirectory.Open(folder);
        var config = new IndexWriterConfig(Version, new FoldingAnalyzer()) { Similarity = new BM25Similarity(), RAMBufferSizeMB = 128 };
        using var writer = new IndexWriter(dir, config);
        foreach (var r in rows)
        {
            var doc = new Document
            {
                new StoredField("row", r.Id),
                new NumericDocValuesField("volume", r.Volume),
            };
            for (var i = 0; i < 5; i++)
            {
                doc.Add(new TextField(Fields[i], r.Texts[i], Field.Store.NO));
            }
            writer.AddDocument(doc);
        }
        writer.Commit();
    }

    /// <summary>What a Chancery search does on FTS5: every hit with its score and volume; counts; the top 20.</summary>
    private static int Fts(SqliteConnection c, string query)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT t.rowid, r.volume, -bm25(t, 4.0, 3.0, 3.0, 1.0, 0.4) FROM t CROSS JOIN rows r ON r.id = t.rowid WHERE t MATCH $q";
        cmd.Parameters.AddWithValue("$q", query);
        using var reader = cmd.ExecuteReader();
        var volumes = new Dictionary<long, int>();
        var top = new PriorityQueue<long, double>();
        var n = 0;
        while (reader.Read())
        {
            n++;
            var v = reader.GetInt64(1);
            volumes[v] = volumes.GetValueOrDefault(v) + 1;
            top.Enqueue(reader.GetInt64(0), reader.GetDouble(2));
            if (top.Count > 20)
            {
                top.Dequeue();
            }
        }
        return n;
    }

    /// <summary>The same on Lucene: a top-20 collector and a per-volume counter in one pass.</summary>
    private static int Lucene(IndexSearcher searcher, QueryParser parser, string query)
    {
        var q = parser.Parse(query);
        var top = TopScoreDocCollector.Create(20, true);
        var counter = new VolumeCounter();
        searcher.Search(q, MultiCollector.Wrap(top, counter));
        _ = top.GetTopDocs();
        return counter.Total;
    }

    private sealed class VolumeCounter : ICollector
    {
        private NumericDocValues? _volumes;
        public readonly Dictionary<long, int> Counts = [];
        public int Total;

        public bool AcceptsDocsOutOfOrder => true;

        public void SetScorer(Scorer scorer)
        {
        }

        public void SetNextReader(AtomicReaderContext context) => _volumes = context.AtomicReader.GetNumericDocValues("volume");

        public void Collect(int doc)
        {
            Total++;
            var v = _volumes!.Get(doc);
            Counts[v] = Counts.GetValueOrDefault(v) + 1;
        }
    }

    /// <summary>Words as FTS5's unicode61 with remove_diacritics sees them, near enough: standard tokens, lower case, folded to ASCII.</summary>
    private sealed class FoldingAnalyzer : Analyzer
    {
        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var tokenizer = new StandardTokenizer(Version, reader);
            TokenStream stream = new LowerCaseFilter(Version, tokenizer);
            stream = new ASCIIFoldingFilter(stream);
            return new TokenStreamComponents(tokenizer, stream);
        }
    }

    private static (double Wall, double Cpu) Measure(Action a)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        a();
        return (sw.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    private static double Time(Func<int> f)
    {
        var sw = Stopwatch.StartNew();
        f();
        return sw.Elapsed.TotalMilliseconds;
    }

    private static string Load() => BenchArgs.LoadAverage();
}

using System.Text;
using Chancery.Archive.Search;
using Chancery.Archive.Sqlite;
using CsCheck;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Chancery.Archive.Tests;

/// <summary>
/// The write side of the full-text index made cheaper without changing what it holds: the common-word lookup the
/// tokenizer asks of every word, the terms' UTF-8 bytes, and the flusher that writes an ingest run's buffer out on a
/// thread of its own.
/// </summary>
public sealed class SearchIndexWriteTests
{
    private static readonly HashSet<string> Listed = new(CommonWordPairs.Words, StringComparer.Ordinal);

    [Fact]
    public void Every_listed_word_is_common()
    {
        Assert.Equal([], CommonWordPairs.Words.Where(w => !CommonWordPairs.IsCommon(w)));
    }

    [Fact]
    public void A_word_is_common_exactly_when_it_is_listed()
    {
        // listed words with a letter changed, added or dropped, and any short word of letters and digits
        var near = Gen.Select(Gen.Int[0, CommonWordPairs.Words.Length - 1].Select(i => CommonWordPairs.Words[i]), Gen.Int[0, 13], Gen.Char["aeiost01z"], Gen.Int[0, 2])
            .Select((w, at, c, edit) => edit switch
            {
                0 => w.Length > at ? w[..at] + c + w[(at + 1)..] : w + c,
                1 => w[..Math.Min(at, w.Length)] + c + w[Math.Min(at, w.Length)..],
                _ => w.Length > at ? w.Remove(at, 1) : w[..^1],
            });
        var any = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789é"], 0, 15];
        Gen.OneOf(near, any).Sample(w => Assert.Equal(Listed.Contains(w), CommonWordPairs.IsCommon(w)));
    }

    [Fact]
    public void A_terms_bytes_are_its_UTF8_whether_it_is_ASCII_or_not()
    {
        var terms = new List<(string Term, byte[] Bytes)>();
        using var analyzer = LuceneSearchIndex.NewIndexAnalyzer();
        using var stream = analyzer.GetTokenStream("body", "Secretary of State, the Attaché in 日本 and \uD835\uDC00B");
        var term = stream.AddAttribute<ICharTermAttribute>();
        var bytes = stream.AddAttribute<ITermToBytesRefAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            bytes.FillBytesRef();
            var b = bytes.BytesRef;
            terms.Add((term.ToString(), b.Bytes.AsSpan(b.Offset, b.Length).ToArray()));
        }
        stream.End();
        Assert.Equal(
            ["secretary", "secretary of", "of", "of state", "state", "state the", "the", "attache", "in", "日本", "and", "\uD835\uDC00b"],
            terms.Select(t => t.Term));
        Assert.All(terms, t => Assert.Equal(Encoding.UTF8.GetBytes(t.Term), t.Bytes));
    }

    private static IndexWriter Writer(Lucene.Net.Store.Directory directory) =>
        new(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, LuceneSearchIndex.NewIndexAnalyzer()) { RAMBufferSizeMB = 256 });

    private static SearchText Text(string body) => SearchText.Of(["Note", "Harriman", "Molotov", body, ""]);

    [Fact]
    public void A_flush_asked_for_writes_the_buffered_rows_out_on_the_flushers_thread()
    {
        using var directory = new RAMDirectory();
        using var writer = Writer(directory);
        using var flusher = new IndexFlusher(flushAtBytes: 1);
        for (var row = 1; row <= 20; row++)
        {
            LuceneSearchIndex.AddNew(writer, row, Text("Soviet forces will enter Dairen."));
        }
        flusher.MaybeFlush(writer);
        flusher.WaitIdle();
        Assert.Equal((0, 20), (writer.NumRamDocs(), writer.NumDocs));
    }

    [Fact]
    public void A_delete_while_a_flush_is_under_way_touches_only_the_rows_added_before_it()
    {
        using var directory = new RAMDirectory();
        using (var writer = Writer(directory))
        using (var flusher = new IndexFlusher(flushAtBytes: 1))
        {
            for (var row = 1; row <= 50; row++)
            {
                LuceneSearchIndex.AddNew(writer, row, Text("The uranium shipment leaves Tsingtao."));
                flusher.MaybeFlush(writer);
            }
            // a rolled-back volume's row, deleted, then its id given again with another text
            LuceneSearchIndex.Remove(writer, 7);
            LuceneSearchIndex.AddNew(writer, 7, Text("The harbour froze."));
            flusher.MaybeFlush(writer);
            flusher.WaitIdle();
            writer.Commit();
        }
        using var reader = DirectoryReader.Open(directory);
        var rows = new List<(long Row, string Body)>();
        foreach (var leaf in reader.Leaves)
        {
            var ids = leaf.AtomicReader.GetNumericDocValues("row");
            var live = leaf.AtomicReader.LiveDocs;
            for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
            {
                if (live is null || live.Get(doc))
                {
                    rows.Add((ids.Get(doc), leaf.AtomicReader.Document(doc).Get("body")));
                }
            }
        }
        Assert.Equal(
            [.. Enumerable.Range(1, 50).Select(r => ((long)r, r == 7 ? "The harbour froze." : "The uranium shipment leaves Tsingtao."))],
            rows.OrderBy(r => r.Row));
    }
}

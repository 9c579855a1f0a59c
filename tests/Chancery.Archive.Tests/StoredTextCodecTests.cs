using Chancery.Archive.Sqlite;
using Lucene.Net.Codecs;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Chancery.Archive.Tests;

/// <summary>
/// The full-text index's stored texts (kept for snippets) go through <see cref="StoredTextCodec"/>'s LZ4 blocks: they
/// read back exactly, across block boundaries, and an index written with Lucene's own codec before it still reads and
/// merges.
/// </summary>
public sealed class StoredTextCodecTests : IDisposable
{
    private readonly DirectoryInfo _folder = System.IO.Directory.CreateTempSubdirectory("chancery-codec-test-");

    public void Dispose() => _folder.Delete(recursive: true);

    // a 16 KB block holds several short texts; the long one spans many blocks and has characters outside ASCII
    private static readonly string[] Texts =
    [
        "",
        "Telegram",
        "The Ambassador in the Soviet Union (Harriman) to the President",
        string.Concat(Enumerable.Range(0, 4000).Select(i => $"Paragraph {i}: Molotov’s reply — «Dairen» ")),
        "Not printed.",
    ];

    private static FieldType Stored { get; } = new() { IsStored = true };

    private void Write(Codec? codec, IEnumerable<string> texts, bool forceMerge = false)
    {
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, LuceneSearchIndex.NewAnalyzer()) { UseCompoundFile = false };
        if (codec is not null)
        {
            config.Codec = codec;
        }
        using var directory = FSDirectory.Open(_folder.FullName);
        using var writer = new IndexWriter(directory, config);
        foreach (var text in texts)
        {
            writer.AddDocument([new Field("body", text, Stored)]);
        }
        if (forceMerge)
        {
            writer.ForceMerge(1);
        }
        writer.Commit();
    }

    private string[] ReadAll()
    {
        using var directory = FSDirectory.Open(_folder.FullName);
        using var reader = DirectoryReader.Open(directory);
        return [.. Enumerable.Range(0, reader.MaxDoc).Select(d => reader.Document(d).Get("body") ?? "")];
    }

    private string[] SegmentCodecs()
    {
        using var directory = FSDirectory.Open(_folder.FullName);
        var infos = new SegmentInfos();
        infos.Read(directory);
        return [.. infos.Segments.Select(s => s.Info.Codec.Name)];
    }

    [Fact]
    public void The_index_writers_record_the_codec_in_their_segments()
    {
        Write(StoredTextCodec.Instance, Texts);
        Assert.Equal(["Chancery46"], SegmentCodecs());
    }

    [Fact]
    public void Stored_texts_read_back_exactly_across_block_boundaries()
    {
        Write(StoredTextCodec.Instance, Texts);
        Assert.Equal(Texts, ReadAll());
    }

    [Fact]
    public void An_index_of_Lucenes_own_codec_reads_and_merges_into_the_codec()
    {
        Write(null, Texts.Take(3));
        Write(StoredTextCodec.Instance, Texts.Skip(3), forceMerge: true);
        // a merge may order the segments' documents either way
        Assert.Equal(["Chancery46", .. Texts.Order(StringComparer.Ordinal)], [.. SegmentCodecs(), .. ReadAll().Order(StringComparer.Ordinal)]);
    }
}

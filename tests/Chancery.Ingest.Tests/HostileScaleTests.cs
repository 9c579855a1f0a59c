using System.Text;
using Chancery.Core.Documents;
using Chancery.Ingest.Samples;
using Chancery.Ingest.Tei;
using Xunit.Abstractions;

namespace Chancery.Ingest.Tests;

/// <summary>Runs alone, after the parallel tests, so the process's memory is this test's memory.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasured
{
    public const string Name = "memory measured";
}

/// <summary>
/// Size attacks: a volume of 20,000 documents (the bench reads 100,000) and a 50 MB paragraph are read streaming,
/// with the heap growth measured while reading and held under a bound.
/// </summary>
[Collection(MemoryMeasured.Name)]
public sealed class HostileScaleTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chancery-hostile-scale-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Twenty_thousand_documents_are_read_streaming_in_bounded_memory()
    {
        var path = Path.Combine(_folder, "twenty-thousand.xml");
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16))
        {
            SampleVolumeWriter.Write(writer, new SampleVolumeOptions { VolumeId = "frus-hostile-scale", Documents = 20_000, Seed = 20_000 });
        }
        var documents = 0;
        var (heapGrowth, _, _) = Hostile.Measure(() =>
        {
            using var reader = TeiVolumeReader.Open(path);
            foreach (var _ in reader.ReadDocuments())
            {
                documents++;
            }
        });
        output.WriteLine($"20,000 documents ({new FileInfo(path).Length / 1_000_000} MB): heap growth {heapGrowth / 1_000_000} MB");
        Assert.Equal(20_000, documents);
        // the file is ~95 MB; only the current document and the volume's table of contents are held
        Assert.True(heapGrowth < 150_000_000, $"heap grew by {heapGrowth / 1_000_000} MB");
    }

    [Fact]
    public void A_fifty_megabyte_paragraph_is_read_whole_in_memory_proportional_to_it()
    {
        var path = Path.Combine(_folder, "fifty-megabytes.xml");
        const string sentence = "The Ambassador saw Stalin and Molotov again last night. ";
        var repeats = (50 << 20) / sentence.Length;
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16))
        {
            var frame = Hostile.Frame(Hostile.PlainRoot, "<div type=\"document\" xml:id=\"d1\"><head>Long</head><p>PARAGRAPH</p></div>");
            var at = frame.IndexOf("PARAGRAPH", StringComparison.Ordinal);
            writer.Write(frame[..at]);
            for (var i = 0; i < repeats; i++)
            {
                writer.Write(sentence);
            }
            writer.Write(frame[(at + "PARAGRAPH".Length)..]);
        }
        var length = 0;
        var (heapGrowth, _, _) = Hostile.Measure(() =>
        {
            using var reader = TeiVolumeReader.Open(path);
            var document = Assert.Single(reader.ReadDocuments());
            length = Assert.IsType<Paragraph>(Assert.Single(document.Body)).Text.Length;
        });
        output.WriteLine($"50 MB paragraph: heap growth {heapGrowth / 1_000_000} MB");
        Assert.Equal((repeats * sentence.Length) - 1, length);
        // no cap on text: 100 MB of UTF-16, copied a few times while the paragraph is built (uncollected copies
        // count); the bound is 30 bytes per byte of the paragraph, as in `bench -- fuzz`, never the file's size
        Assert.True(heapGrowth < 30L * (50 << 20), $"heap grew by {heapGrowth / 1_000_000} MB");
    }
}

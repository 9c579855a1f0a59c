using Chancery.Ingest.Samples;
using Chancery.Ingest.Tei;

namespace Chancery.Ingest.Tests;

/// <summary>The TEI reader over the bundled sample volume and over a generated volume.</summary>
public sealed class SampleReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chancery-sample-read-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Reader_reads_all_twenty_four_documents_of_the_sample_volume()
    {
        using var reader = TeiVolumeReader.Open(SampleFiles.SampleVolume);

        var documents = reader.ReadDocuments().ToList();

        Assert.Equal(Enumerable.Range(1, 24).Select(i => $"frus-sample-1945#d{i}"), documents.Select(d => d.Id));
    }

    [Fact]
    public void Reader_marks_document_14_of_the_sample_as_the_only_pending_one()
    {
        using var reader = TeiVolumeReader.Open(SampleFiles.SampleVolume);

        var pending = reader.ReadDocuments().Where(d => d.Pending).Select(d => d.LocalId);

        Assert.Equal(["d14"], pending);
    }

    [Fact]
    public void Reader_takes_the_sample_volume_persons_and_terms_lists()
    {
        using var reader = TeiVolumeReader.Open(SampleFiles.SampleVolume);
        _ = reader.ReadDocuments().Count();

        var volume = reader.Volume;

        Assert.Equal(
            ("frus-sample-1945", 15, 10),
            (volume.Id, volume.Persons.Count, volume.Terms.Count));
    }

    [Fact]
    public void Reader_reads_a_generated_two_thousand_document_volume_with_the_counts_written()
    {
        var path = Path.Combine(_folder, "frus-synthetic-read.xml");
        using (var file = new StreamWriter(path))
        {
            SampleVolumeWriter.Write(file, new SampleVolumeOptions { VolumeId = "frus-synthetic-read", Documents = 2000, Seed = 19 });
        }
        var xml = File.ReadAllText(path);
        var expectedPending = SampleFiles.CountPending(xml);
        var expectedPersons = System.Text.RegularExpressions.Regex.Count(xml, @"<persName xml:id=""p_");

        using var reader = TeiVolumeReader.Open(path);
        var documents = reader.ReadDocuments().ToList();

        Assert.Equal(
            (2000, expectedPending, expectedPersons),
            (documents.Count, documents.Count(d => d.Pending), reader.Volume.Persons.Count));
    }
}

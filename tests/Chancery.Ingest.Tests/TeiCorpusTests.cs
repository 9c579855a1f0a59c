using System.Text.RegularExpressions;
using Chancery.Core.Documents;
using Chancery.Ingest.Tei;

namespace Chancery.Ingest.Tests;

/// <summary>Whole-corpus properties: every document read once, every excision marker recognised, the volume lists.</summary>
public partial class TeiCorpusTests
{
    [GeneratedRegex(@"<div\b[^>]*\btype=""document""")]
    private static partial Regex DocumentDiv();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\[\s*not\s+declassified\s*\]")]
    private static partial Regex BareMarker();

    [Fact]
    public void Every_volume_gives_exactly_one_document_per_document_div()
    {
        var files = Directory.GetFiles(TeiCorpus.SmallFolder, "*.xml").Concat(Directory.GetFiles(TeiCorpus.LargeFolder, "*.xml")).Order().ToList();
        Assert.Equal(101, files.Count);
        var wrong = new List<string>();
        var total = 0;
        foreach (var file in files)
        {
            var expected = DocumentDiv().Count(File.ReadAllText(file));
            using var reader = TeiVolumeReader.Open(file);
            var documents = reader.ReadDocuments().Where(d => !d.Pending).ToList();
            total += documents.Count;
            if (documents.Count != expected || documents.Select(d => d.Id).Distinct().Count() != expected)
            {
                wrong.Add($"{Path.GetFileName(file)}: {documents.Count} read, {expected} divs");
            }
        }
        Assert.Empty(wrong);
        Assert.Equal(32042, total);
    }

    [Fact]
    public void Every_not_declassified_marker_in_the_guatemala_volume_is_an_excision()
    {
        var text = Tag().Replace(File.ReadAllText(TeiCorpus.Volume("frus1952-54Guat")), "");
        var printed = Excision.FindAll(text).Count() + BareMarker().Count(text);
        Assert.Equal(1318, printed);

        var documents = TeiCorpus.Documents("frus1952-54Guat");
        var marks = 0;
        var leftAsText = new List<string>();
        void Count(IEnumerable<Inline> runs)
        {
            foreach (var run in runs)
            {
                if (run is ExcisionMark)
                {
                    marks++;
                }
                else if (run.PlainText.Contains("declassified]", StringComparison.Ordinal))
                {
                    leftAsText.Add(run.PlainText);
                }
            }
        }
        foreach (var d in documents)
        {
            foreach (var block in d.Body)
            {
                if (block is ExcisionBlock)
                {
                    marks++;
                }
                else if (block is Paragraph p)
                {
                    Count(p.Content);
                }
            }
            foreach (var note in d.Footnotes)
            {
                Count(note.Content);
            }
            marks += d.HeadExcisions.Count;
        }
        Assert.Empty(leftAsText);
        Assert.Equal(printed, marks);
    }

    [Fact]
    public void Volume_metadata_comes_from_the_header_and_front_matter()
    {
        using var reader = TeiVolumeReader.Open(TeiCorpus.Volume("frus1948v05p1"));
        var count = reader.ReadDocuments().Count();
        var v = reader.Volume;
        Assert.Equal("frus1948v05p1", v.Id);
        Assert.Equal("Foreign Relations of the United States, 1948, The Near East, South Asia, and Africa, Volume V, Part 1", v.Title);
        Assert.Equal("Foreign Relations of the United States", v.Series);
        Assert.Equal("1975", v.PublicationDate);
        Assert.Equal(["Herbert A. Fine", "David H. Stauffer"], v.Editors);
        Assert.Equal("tei", v.SourceKind);
        Assert.Equal(reader.Sha256, v.SourceSha256);
        Assert.Equal(new FileInfo(reader.Path).Length, v.SourceBytes);
        Assert.Equal(count, v.Contents.Count(e => e.Kind == "document"));
        Assert.Contains(new TocEntry(3, "document", "d202", "202", "The Acting Secretary of State to the Legation in Saudi Arabia", "frus1948v05p1#d202", "1948-12-30T16:00"), v.Contents);
        Assert.Contains(new TocEntry(1, "chapter", "ch8", null, "Turkey", null, null), v.Contents);
        Assert.Equal(new TocEntry(0, "compilation", "comp2", null, "South Asia:", null, null), v.Contents.Single(e => e.LocalId == "comp2"));
    }

    [Fact]
    public void Persons_and_terms_lists_give_ids_names_and_descriptions()
    {
        using var reader = TeiVolumeReader.Open(TeiCorpus.Volume("frus1964-68v29p2"));
        _ = reader.ReadDocuments().Count();
        var v = reader.Volume;
        Assert.Contains(v.Persons, p => p.Id == "p_RD3" && p.Name.StartsWith("Rusk, Dean", StringComparison.Ordinal) && p.Description.StartsWith("Secretary of State", StringComparison.Ordinal));
        Assert.NotEmpty(v.Terms);
        Assert.All(v.Terms, t => Assert.StartsWith("t_", t.Id, StringComparison.Ordinal));
        var d5 = TeiCorpus.Document("frus1964-68v29p2", "d5");
        Assert.Equal(v.Persons.Single(p => p.Id == "p_RD3").Name, d5.Persons.Single(p => p.Id == "p_RD3").Name);
    }

    [Fact]
    public void Volume_before_reading_has_the_header_only()
    {
        using var reader = TeiVolumeReader.Open(TeiCorpus.Volume("frus1948v05p1"));
        var v = reader.Volume;
        Assert.Equal("frus1948v05p1", v.Id);
        Assert.Equal(["Herbert A. Fine", "David H. Stauffer"], v.Editors);
        Assert.Empty(v.Contents);
    }
}

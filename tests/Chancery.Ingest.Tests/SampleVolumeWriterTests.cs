using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Chancery.Ingest.Samples;

namespace Chancery.Ingest.Tests;

/// <summary>The synthetic volume generator: reproducible, well-formed, FRUS-shaped.</summary>
public sealed class SampleVolumeWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chancery-samples-").FullName;

    // One 2,000-document volume for the statistical tests, generated once per run.
    private static readonly Lazy<string> Large = new(() => Generate(2000, seed: 11));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Generate(int documents, int seed, int startYear = 1945, int endYear = 1947)
    {
        using var text = new StringWriter();
        SampleVolumeWriter.Write(text, new SampleVolumeOptions
        {
            VolumeId = "frus-synthetic-test",
            Documents = documents,
            Seed = seed,
            StartYear = startYear,
            EndYear = endYear,
        });
        return text.ToString();
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Same_seed_gives_the_same_bytes()
    {
        Assert.Equal(Hash(Generate(200, seed: 42)), Hash(Generate(200, seed: 42)));
    }

    [Fact]
    public void Different_seed_gives_different_bytes()
    {
        Assert.NotEqual(Hash(Generate(200, seed: 42)), Hash(Generate(200, seed: 43)));
    }

    [Fact]
    public void Five_hundred_documents_are_well_formed_xml()
    {
        using var text = new StringReader(Generate(500, seed: 7));

        var error = Record.Exception(() => SampleFiles.ReadAllNodes(text));

        Assert.Null(error);
    }

    [Fact]
    public void Writes_exactly_the_requested_number_of_document_divisions()
    {
        var xml = Generate(500, seed: 7);

        Assert.Equal(500, SampleFiles.CountDocuments(xml) + SampleFiles.CountPending(xml));
    }

    [Fact]
    public void Document_numbers_run_consecutively_from_one()
    {
        var numbers = Regex.Matches(Generate(500, seed: 7), @"<div type=""document(?:-pending)?"" xml:id=""d(\d+)"" n=""\1""")
            .Select(m => int.Parse(m.Groups[1].Value))
            .ToList();

        Assert.Equal(Enumerable.Range(1, 500), numbers);
    }

    [Fact]
    public void Every_person_term_and_document_pointer_resolves()
    {
        Assert.Empty(SampleFiles.DanglingPointers(Generate(500, seed: 7)));
    }

    [Fact]
    public void Dates_stay_within_the_requested_years()
    {
        var years = Regex.Matches(Generate(500, seed: 7, startYear: 1950, endYear: 1951), @"<date (?:when|from)=""(\d{4})")
            .Select(m => int.Parse(m.Groups[1].Value))
            .Distinct()
            .Order()
            .ToList();

        Assert.Equal([1950, 1951], years);
    }

    [Fact]
    public void Footnotes_number_from_one_to_at_most_six_per_document()
    {
        var xml = Generate(500, seed: 7);
        var highest = Regex.Matches(xml, @"xml:id=""d\d+fn(\d+)""").Max(m => int.Parse(m.Groups[1].Value));

        Assert.Equal(6, highest);
    }

    [Fact]
    public void Document_lengths_have_a_median_near_350_words_and_a_long_tail()
    {
        // Statistical shape rather than exact values: the words of each document's paragraphs.
        var lengths = ParagraphWordsPerDocument(Large.Value).Order().ToList();
        var median = lengths[lengths.Count / 2];

        Assert.InRange(median, 300, 420);
        Assert.InRange(lengths[^1], 2500, 5200);
    }

    private static List<int> ParagraphWordsPerDocument(string xml)
    {
        var lengths = new List<int>();
        using var reader = System.Xml.XmlReader.Create(new StringReader(xml));
        var paragraphDepth = -1;
        while (reader.Read())
        {
            if (reader.NodeType == System.Xml.XmlNodeType.Element && reader.LocalName == "div" && reader.GetAttribute("type") == "document")
            {
                lengths.Add(0);
            }
            else if (reader.NodeType == System.Xml.XmlNodeType.Element && reader.LocalName == "p" && lengths.Count > 0 && !reader.IsEmptyElement)
            {
                paragraphDepth = reader.Depth;
            }
            else if (reader.NodeType == System.Xml.XmlNodeType.EndElement && reader.Depth == paragraphDepth)
            {
                paragraphDepth = -1;
            }
            else if (reader.NodeType == System.Xml.XmlNodeType.Text && paragraphDepth >= 0)
            {
                lengths[^1] += reader.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            }
        }
        return lengths;
    }

    [Fact]
    public void About_fifty_five_percent_of_documents_are_telegrams()
    {
        var telegrams = Regex.Count(Large.Value, @"<note rend=""inline"" type=""source"">[^<]*: Telegram</note>");

        Assert.InRange(telegrams, 1000, 1200);
    }

    [Fact]
    public void File_numbers_carry_the_document_date_as_a_suffix()
    {
        var match = Regex.Match(Generate(50, seed: 3), @"<note rend=""inline"" type=""source"">[^<]*/(\d{1,2})–(\d{1,2})(\d{2}): Telegram</note>\s*<head>(?:(?!<div ).)*?<date when=""19(\d{2})-(\d{2})-(\d{2})", RegexOptions.Singleline);

        Assert.True(match.Success);
        Assert.Equal(
            (int.Parse(match.Groups[4].Value), int.Parse(match.Groups[5].Value), int.Parse(match.Groups[6].Value)),
            (int.Parse(match.Groups[3].Value), int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value)));
    }

    [Fact]
    public void Built_in_vocabulary_holds_at_least_five_thousand_word_forms()
    {
        Assert.True(SampleVolumeWriter.VocabularySize >= 5000, $"{SampleVolumeWriter.VocabularySize} word forms");
    }

    [Fact]
    public void Rejects_a_volume_id_that_is_not_an_xml_name()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SampleVolumeWriter.Write(TextWriter.Null, new SampleVolumeOptions { VolumeId = "1945 volume" }));

        Assert.Equal("volume id '1945 volume' is not an XML name (letters, digits, '.', '-', '_'; not starting with a digit)", error.Message);
    }

    [Fact]
    public void Write_corpus_yields_one_file_per_volume_named_by_its_id()
    {
        var paths = SampleVolumeWriter.WriteCorpus(_folder, volumes: 3, documentsPerVolume: 20, seed: 5).ToList();

        Assert.Equal(
            ["frus-synthetic-s5-v001.xml", "frus-synthetic-s5-v002.xml", "frus-synthetic-s5-v003.xml"],
            paths.Select(Path.GetFileName));
        Assert.All(paths, p => Assert.Contains($"xml:id=\"{Path.GetFileNameWithoutExtension(p)}\"", File.ReadAllText(p), StringComparison.Ordinal));
    }

    [Fact]
    public void Write_corpus_writes_utf8_without_a_byte_order_mark()
    {
        var path = SampleVolumeWriter.WriteCorpus(_folder, volumes: 1, documentsPerVolume: 5, seed: 5).Single();

        Assert.Equal("<?xml"u8.ToArray(), File.ReadAllBytes(path)[..5]);
    }

    [Fact]
    public void Write_corpus_writes_nothing_until_enumerated()
    {
        var target = Path.Combine(_folder, "lazy");

        _ = SampleVolumeWriter.WriteCorpus(target, volumes: 2, documentsPerVolume: 5, seed: 5);

        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void Later_corpus_volumes_cite_documents_of_earlier_ones()
    {
        var last = SampleVolumeWriter.WriteCorpus(_folder, volumes: 2, documentsPerVolume: 300, seed: 5).Last();

        Assert.Matches(@"<ref target=""frus-synthetic-s5-v001#d\d+"">", File.ReadAllText(last));
    }
}

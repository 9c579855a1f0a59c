using System.Text.RegularExpressions;

namespace Chancery.Ingest.Tests;

/// <summary>The bundled demo material in <c>samples/</c>: the hand-written FRUS-style volume and the seed copy.</summary>
public sealed class SampleVolumeTests
{
    private static readonly string Xml = File.ReadAllText(SampleFiles.SampleVolume);

    [Fact]
    public void Sample_volume_is_well_formed_xml()
    {
        using var text = new StringReader(Xml);

        var error = Record.Exception(() => SampleFiles.ReadAllNodes(text));

        Assert.Null(error);
    }

    [Fact]
    public void Sample_volume_holds_twenty_three_documents()
    {
        Assert.Equal(23, SampleFiles.CountDocuments(Xml));
    }

    [Fact]
    public void Sample_volume_holds_one_pending_placeholder()
    {
        Assert.Equal(1, SampleFiles.CountPending(Xml));
    }

    [Fact]
    public void Sample_volume_documents_are_numbered_one_to_twenty_four()
    {
        var numbers = Regex.Matches(Xml, @"<div type=""document(?:-pending)?"" xml:id=""d(\d+)"" n=""(\d+)""")
            .Select(m => (Id: int.Parse(m.Groups[1].Value), N: int.Parse(m.Groups[2].Value)))
            .ToList();

        Assert.Equal(Enumerable.Range(1, 24).Select(i => (i, i)), numbers);
    }

    [Fact]
    public void Sample_volume_internal_pointers_all_resolve()
    {
        Assert.Empty(SampleFiles.DanglingPointers(Xml));
    }

    [Fact]
    public void Sample_volume_lists_fifteen_persons_and_ten_terms()
    {
        var persons = Regex.Count(Xml, @"<persName xml:id=""p_");
        var terms = Regex.Count(Xml, @"<term xml:id=""t_");

        Assert.Equal((15, 10), (persons, terms));
    }

    [Fact]
    public void Sample_volume_has_a_telegram_numbered_1422_that_others_cite_as_deptel_1422()
    {
        var starts = Regex.Count(Xml, @"<p>1422\. ");
        var citations = Regex.Count(Xml, @"<gloss target=""#t_Deptel1"">Deptel</gloss> 1422");

        Assert.Equal((1, 3), (starts, citations));
    }

    [Fact]
    public void Sample_volume_prints_each_kind_of_excision_marker()
    {
        string[] markers =
        [
            "[1 paragraph (3 lines) not declassified]", "[name not declassified]",
            "[less than 1 line not declassified]", "3 pages of source text not declassified.]",
        ];

        var text = Regex.Replace(Xml, @"\s+", " ");

        Assert.All(markers, m => Assert.Contains(m, text, StringComparison.Ordinal));
    }

    [Fact]
    public void Seed_copy_is_byte_identical_to_the_shared_seed()
    {
        Assert.Equal(File.ReadAllBytes(SampleFiles.SharedSeed), File.ReadAllBytes(SampleFiles.SeedCopy));
    }
}

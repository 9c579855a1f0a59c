using Chancery.Core.Documents;
using Chancery.Ingest.Tei;

namespace Chancery.Ingest.Tests;

/// <summary>
/// Citations written in words are found in text runs, joined across term runs, and only there: the reader scans
/// a lone run as it is and joins runs only when they hold a digit.
/// </summary>
public sealed class TeiCitationScanTests : IDisposable
{
    private const string Open = "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:id=\"frusTest\"><text><body>";
    private const string Close = "</body></text></TEI>";

    private readonly string _folder = Directory.CreateTempSubdirectory("chancery-scan-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Document One(string paragraph)
    {
        var path = Path.Combine(_folder, "frusTest.xml");
        File.WriteAllText(path, Open + "<div type=\"document\" xml:id=\"d1\" n=\"1\"><head>The Secretary to the Embassy</head>" + paragraph + "</div>" + Close);
        using var reader = TeiVolumeReader.Open(path);
        return Assert.Single(reader.ReadDocuments().ToList());
    }

    [Fact]
    public void A_telegram_keyword_in_a_term_and_its_number_in_the_text_after_it_are_one_citation()
    {
        var d = One("<p>Your <gloss target=\"#t_Deptel1\">Deptel</gloss> 1422 arrived.</p>");
        var r = Assert.Single(d.References);
        Assert.Equal(new Reference(ReferenceKind.Telegram, "1422", "Deptel 1422", "body"), r);
    }

    [Fact]
    public void A_citation_before_a_footnote_anchor_is_found_in_its_own_run()
    {
        var d = One("<p>See telegram 482<note n=\"1\">Not printed.</note> of today.</p>");
        var r = Assert.Single(d.References);
        Assert.Equal(new Reference(ReferenceKind.Telegram, "482", "telegram 482", "body"), r);
    }

    [Fact]
    public void A_keyword_and_a_number_separated_by_a_person_are_not_a_citation()
    {
        var d = One("<p>The telegram <persName corresp=\"#p_X1\">Smith</persName> 1422 sent.</p>");
        Assert.Empty(d.References);
    }
}

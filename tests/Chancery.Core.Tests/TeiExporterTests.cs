using System.Xml;
using System.Xml.Linq;
using Chancery.Core.Dates;
using Chancery.Core.Documents;
using Chancery.Core.Export;

namespace Chancery.Core.Tests;

/// <summary>A document as a FRUS TEI div: well-formed, in the TEI namespace, in FRUS conventions.</summary>
public sealed class TeiExporterTests
{
    private static readonly XNamespace Tei = "http://www.tei-c.org/ns/1.0";
    private static readonly XNamespace Xml = XNamespace.Xml;

    private static Document Telegram() => new()
    {
        Id = "frus1948v05p1#d4",
        Volume = "frus1948v05p1",
        Number = "4",
        Type = "Telegram",
        Title = "The Ambassador in Egypt (Tuck) to the Secretary of State",
        Head = [new TextRun("The Ambassador in Egypt (Tuck) to the Secretary of State"), new FootnoteMark("1")],
        From = "The Ambassador in Egypt (Tuck)",
        To = "the Secretary of State",
        Date = new DocumentDate("1948-02-25T17:00", "1948-02-25T17:00", DatePrecision.Minute, DateSource.Dateline),
        Place = "Cairo",
        FileNumbers = ["890F.6363/2–2548"],
        Classification = "confidential",
        Captions = ["Priority"],
        Body =
        [
            new Paragraph([new TextRun("191. "), new PersonMention("Naim Antaki", "p_ANT1"), new TextRun(" told "), new TermMention("LARG", "t_LARG1"), new TextRun(" of "), new ReferenceMark("Document 3", "frus1948v05p1#d3"), new TextRun(" and "), new ExcisionMark(Excision.ForCut(0, 1)), new FootnoteMark("*")]),
            new PageBreak("7"),
            new Paragraph([new TextRun("Arab policy "), new PageBreakMark("8"), new TextRun("on concessions.")]),
            new Paragraph([new TextRun("Tuck")], "closer"),
        ],
        Footnotes = [new Footnote("1", [new TextRun("Repeated to Jidda.")]), new Footnote("*", [new TextRun("Not printed.")])],
        Signed = "Tuck",
        SourceSha256 = "0",
    };

    private static XElement Parse(Document d)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(TeiExporter.Write(d)), settings);
        return XElement.Load(reader);
    }

    [Fact]
    public void Output_is_one_well_formed_div_in_the_TEI_namespace() => Assert.Equal(Tei + "div", Parse(Telegram()).Name);

    [Fact]
    public void Div_carries_type_number_and_id() =>
        Assert.Equal(("document", "4", "d4"), Parse(Telegram()).Let(e => ((string?)e.Attribute("type"), (string?)e.Attribute("n"), (string?)e.Attribute(Xml + "id"))));

    [Fact]
    public void Source_note_names_file_numbers_and_type() =>
        Assert.Equal("890F.6363/2–2548: Telegram", Parse(Telegram()).Elements(Tei + "note").Single(n => (string?)n.Attribute("type") == "source").Value);

    [Fact]
    public void Head_glosses_sender_and_recipient() =>
        Assert.Equal(["from:The Ambassador in Egypt (Tuck)", "to:the Secretary of State"],
            Parse(Telegram()).Element(Tei + "head")!.Elements(Tei + "gloss").Select(g => g.Attribute("type")!.Value + ":" + g.Value));

    [Fact]
    public void Footnote_stands_at_its_anchor_with_number_and_id() =>
        Assert.Equal(("1", "d4fn1", "Repeated to Jidda."),
            Parse(Telegram()).Element(Tei + "head")!.Element(Tei + "note")!.Let(n => (n.Attribute("n")!.Value, n.Attribute(Xml + "id")!.Value, n.Value)));

    [Fact]
    public void Footnote_label_that_is_no_name_gets_a_valid_id() =>
        Assert.Equal("fn_d4fn2a", Parse(Telegram()).Descendants(Tei + "note").Single(n => (string?)n.Attribute("n") == "*").Attribute(Xml + "id")!.Value);

    [Fact]
    public void Dateline_has_place_and_date_with_when() =>
        Assert.Equal(("Cairo", "1948-02-25T17:00:00", "February 25, 1948—5 p.m."),
            Parse(Telegram()).Descendants(Tei + "dateline").Single().Let(dl => (dl.Element(Tei + "placeName")!.Value, dl.Element(Tei + "date")!.Attribute("when")!.Value, dl.Element(Tei + "date")!.Value)));

    [Fact]
    public void Date_range_has_from_and_to()
    {
        var d = Telegram() with { Date = new DocumentDate("1945-07-11", "1945-07-12", DatePrecision.Day, DateSource.Dateline) };
        Assert.Equal(("1945-07-11", "1945-07-12"),
            Parse(d).Descendants(Tei + "date").Single().Let(e => (e.Attribute("from")!.Value, e.Attribute("to")!.Value)));
    }

    [Fact]
    public void Time_zone_is_written_as_an_offset()
    {
        var d = Telegram() with { Date = new DocumentDate("1952-01-22T23:22", "1952-01-22T23:22", DatePrecision.Minute, DateSource.Dateline, "+00:00") };
        Assert.Equal("1952-01-22T23:22:00+00:00", Parse(d).Descendants(Tei + "date").Single().Attribute("when")!.Value);
    }

    [Fact]
    public void Classification_is_a_small_caps_seg() =>
        Assert.Equal("confidential", Parse(Telegram()).Descendants(Tei + "hi").Single(h => (string?)h.Attribute("rend") == "smallcaps").Value);

    [Fact]
    public void Caption_is_a_seg_of_the_opener() =>
        Assert.Contains("Priority", Parse(Telegram()).Element(Tei + "opener")!.Elements(Tei + "seg").Select(s => s.Value));

    [Fact]
    public void Person_keeps_its_corresp() =>
        Assert.Equal("#p_ANT1", Parse(Telegram()).Descendants(Tei + "persName").Single().Attribute("corresp")!.Value);

    [Fact]
    public void Term_keeps_its_target() =>
        Assert.Equal("#t_LARG1", Parse(Telegram()).Descendants(Tei + "gloss").Single(g => g.Attribute("target") is not null).Attribute("target")!.Value);

    [Fact]
    public void Reference_within_the_volume_targets_the_local_id() =>
        Assert.Equal("#d3", Parse(Telegram()).Descendants(Tei + "ref").Single().Attribute("target")!.Value);

    [Fact]
    public void Excision_marker_is_printed_text() =>
        Assert.Contains("[less than 1 line not declassified]", Parse(Telegram()).Elements(Tei + "p").First().Value);

    [Fact]
    public void Page_breaks_carry_number_and_id() =>
        Assert.Equal(["7:pg_7", "8:pg_8"], Parse(Telegram()).Descendants(Tei + "pb").Select(p => p.Attribute("n")!.Value + ":" + p.Attribute(Xml + "id")!.Value));

    [Fact]
    public void Closer_holds_the_signature() =>
        Assert.Equal("Tuck", Parse(Telegram()).Element(Tei + "closer")!.Element(Tei + "signed")!.Value);

    [Fact]
    public void Signature_without_a_closer_gets_one()
    {
        var d = Telegram() with { Body = [new Paragraph([new TextRun("Text.")])], Signed = "Harriman" };
        Assert.Equal("Harriman", Parse(d).Element(Tei + "closer")!.Element(Tei + "signed")!.Value);
    }

    [Fact]
    public void Control_characters_cannot_break_the_xml()
    {
        var d = Telegram() with { Title = "Bad \u0001 title", Head = [] };
        Assert.Equal("Bad  title", Parse(d).Element(Tei + "head")!.Value);
    }
}

file static class LetExtensions
{
    public static TResult Let<T, TResult>(this T value, Func<T, TResult> f) => f(value);
}

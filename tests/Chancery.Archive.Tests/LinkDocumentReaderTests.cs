using Chancery.Archive.Links;
using Chancery.Core.Documents;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>
/// What a links rebuild reads out of a document's stored JSON in one pass: every other property of the stored form
/// (title, date, marking...) is skipped on the way.
/// </summary>
public sealed class LinkDocumentReaderTests
{
    private static LinkDocument Read(Document d, bool withText)
    {
        var doc = new LinkDocument { Id = d.Id, Volume = d.Volume };
        LinkDocumentReader.Read(StoredDocumentWriter.ToUtf8(d), doc, withText);
        return doc;
    }

    [Fact]
    public void References_are_read_with_their_kind_target_text_place_and_date()
    {
        var d = Make("volA", 1, "A") with
        {
            References =
            [
                new Reference(ReferenceKind.Telegram, "123 from Moscow", "telegram 123", "body", "1945-07-01"),
                new Reference(ReferenceKind.Document, "volA#d2", "Document 2", "footnote 1"),
            ],
        };
        Assert.Equal(
            [
                new Reference(ReferenceKind.Telegram, "123 from Moscow", "telegram 123", "body", "1945-07-01"),
                new Reference(ReferenceKind.Document, "volA#d2", "Document 2", "footnote 1"),
            ],
            Read(d, withText: false).References);
    }

    [Fact]
    public void Persons_are_read_with_their_list_ids()
    {
        var d = Make("volA", 1, "A") with { Persons = [new PersonRef("p_HWA1", "Harriman"), new PersonRef(null, "Stalin")] };
        Assert.Equal([new PersonRef("p_HWA1", "Harriman"), new PersonRef(null, "Stalin")], Read(d, withText: false).Persons);
    }

    [Fact]
    public void Page_breaks_and_explicit_targets_are_read_without_the_text()
    {
        var d = Make("volA", 1, "A") with
        {
            Page = "[30]",
            Body = [new Paragraph([new TextRun("One"), new PageBreakMark("[31]"), new ReferenceMark("see", "#d3")]), new PageBreak("32")],
        };
        var doc = Read(d, withText: false);
        Assert.Equal("30", doc.Page);
        Assert.Equal(["31", "32"], doc.PageBreaks);
        Assert.Equal(["volA#d3"], doc.ExplicitTargets);
        Assert.Empty(doc.Segments);
    }

    [Fact]
    public void The_text_of_body_and_footnotes_is_folded_with_its_marks()
    {
        var d = Make("volA", 1, "A") with
        {
            Body = [new Paragraph([new TextRun("Ask  for"), new FootnoteMark("1"), new TextRun(" telegram 123.")])],
            Footnotes = [new Footnote("1", [new TextRun("Not printed.")])],
        };
        var segments = Read(d, withText: true).Segments;
        Assert.Equal([("body", "Ask for telegram 123."), ("footnote 1", "Not printed.")], segments.Select(s => (s.Where, s.Text)));
        Assert.Equal([new Mark(7, "1", null)], segments[0].Marks);
        Assert.Empty(segments[1].Marks);
    }

    [Fact]
    public void An_excision_stands_in_the_text_as_its_marker()
    {
        var cut = new Excision("[1 line not declassified]", "line", 1, null, false);
        var d = Make("volA", 1, "A") with { Body = [new Paragraph([new TextRun("Before "), new ExcisionMark(cut), new TextRun(" after")])] };
        Assert.Equal("Before [1 line not declassified] after", Assert.Single(Read(d, withText: true).Segments).Text);
    }
}

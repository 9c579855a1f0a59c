using Chancery.Core.Dates;
using Chancery.Core.Documents;
using Chancery.Core.Export;

namespace Chancery.Core.Tests;

/// <summary>The plain-text layout of a document, as FRUS prints it.</summary>
public sealed class TextExporterTests
{
    private static Document Telegram(Action<List<Block>>? body = null) => new()
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
        FileNumbers = ["890F.6363/2–2548", "883.6363/2–2548"],
        Classification = "confidential",
        Captions = ["Priority"],
        Body = Make(body),
        Footnotes = [new Footnote("1", [new TextRun("Repeated to Jidda.")])],
        SourceSha256 = "0",
    };

    private static List<Block> Make(Action<List<Block>>? body)
    {
        var blocks = new List<Block> { new Paragraph([new TextRun("191. Naim Antaki told Ireland today.")]) };
        body?.Invoke(blocks);
        return blocks;
    }

    private static string[] Lines(Document d) => TextExporter.Write(d).Split('\n');

    [Fact]
    public void First_line_is_the_file_numbers_and_the_type() =>
        Assert.Equal("890F.6363/2–2548; 883.6363/2–2548: Telegram", Lines(Telegram())[0]);

    [Fact]
    public void First_line_is_the_type_alone_without_file_numbers() =>
        Assert.Equal("Telegram", Lines(Telegram() with { FileNumbers = [] })[0]);

    [Fact]
    public void Number_and_head_follow_a_blank_line() =>
        Assert.Equal(["", "No. 4", "The Ambassador in Egypt (Tuck) to the Secretary of State¹"], Lines(Telegram())[1..4]);

    [Fact]
    public void Dateline_and_classification_form_the_opener() =>
        Assert.Equal(["", "Cairo, February 25, 1948—5 p.m.", "confidential"], Lines(Telegram())[4..7]);

    [Fact]
    public void Captions_are_printed_in_parentheses() => Assert.Equal(["", "(Priority)"], Lines(Telegram())[7..9]);

    [Fact]
    public void Footnotes_close_the_text_indented() =>
        Assert.EndsWith("\n\n  1. Repeated to Jidda.\n", TextExporter.Write(Telegram()));

    [Fact]
    public void Date_inferred_from_a_file_number_prints_no_dateline() =>
        Assert.Equal("confidential",
            Lines(Telegram() with { Place = null, Date = new DocumentDate("1948-02-25", "1948-02-25", DatePrecision.Day, DateSource.FileNumber) })[5]);

    [Fact]
    public void Place_without_a_date_is_printed_undated() =>
        Assert.Equal("Cairo, undated", Lines(Telegram() with { Date = null })[5]);

    [Fact]
    public void Page_break_between_paragraphs_is_a_line_of_its_own() =>
        Assert.Contains("\n\n[Page 7]\n\n", TextExporter.Write(Telegram(b => b.Add(new PageBreak("7")))));

    [Fact]
    public void Page_break_inside_a_paragraph_is_printed_in_the_line() =>
        Assert.Contains("\nArab policy [Page 7] on existing concessions\n",
            TextExporter.Write(Telegram(b => b.Add(new Paragraph([new TextRun("Arab policy "), new PageBreakMark("7"), new TextRun("on existing concessions")])))));

    [Fact]
    public void Excision_block_prints_its_marker() =>
        Assert.Contains("\n\n[1 paragraph (3 lines) not declassified]\n",
            TextExporter.Write(Telegram(b => b.Add(new ExcisionBlock(Excision.ForCut(1, 3))))));

    [Fact]
    public void Empty_paragraph_prints_nothing() =>
        Assert.Equal(TextExporter.Write(Telegram()), TextExporter.Write(Telegram(b => b.Add(new Paragraph([])))));

    [Fact]
    public void Line_break_starts_a_new_line_of_the_paragraph() =>
        Assert.Contains("\nFirst line\nsecond line\n",
            TextExporter.Write(Telegram(b => b.Add(new Paragraph([new TextRun("First line"), new LineBreak(), new TextRun("second line")])))));

    [Fact]
    public void Closer_is_set_to_the_right() =>
        Assert.Contains("\n" + new string(' ', 68) + "Tuck\n",
            TextExporter.Write(Telegram(b => b.Add(new Paragraph([new TextRun("Tuck")], "closer"))) with { Signed = "Tuck" }));

    [Fact]
    public void Signature_line_of_a_longer_closer_is_marked() =>
        Assert.Contains("/s/ William Phillips\n",
            TextExporter.Write(Telegram(b => b.Add(new Paragraph([new TextRun("For the Secretary of State:"), new LineBreak(), new TextRun("William Phillips")], "closer")))
                with { Signed = "William Phillips" }));

    [Fact]
    public void Signature_no_closer_prints_stands_apart() =>
        Assert.EndsWith("Signed: Tuck\n\n  1. Repeated to Jidda.\n", TextExporter.Write(Telegram() with { Signed = "Tuck" }));

    [Fact]
    public void Closer_without_a_signature_is_said_to_be_unsigned() =>
        Assert.Contains("[Unsigned]\n", TextExporter.Write(Telegram(b => b.Add(new Paragraph([new TextRun("[Omitted here is the study.]")], "closer")))));

    [Fact]
    public void Source_note_is_printed_first_among_the_notes() =>
        Assert.EndsWith("\n  Source: Department of State, Central Files. Secret.\n  1. Repeated to Jidda.\n",
            TextExporter.Write(Telegram() with { SourceNote = "Source: Department of State, Central Files. Secret." }));

    [Fact]
    public void Source_note_that_only_repeats_the_first_line_is_not_printed_again() =>
        Assert.DoesNotContain("  890F",
            TextExporter.Write(Telegram() with { SourceNote = "890F.6363/2–2548; 883.6363/2–2548: Telegram" }));

    [Fact]
    public void Marker_of_an_empty_note_is_not_printed()
    {
        var d = Telegram() with { Footnotes = [new Footnote("1", [])] };
        Assert.Equal("The Ambassador in Egypt (Tuck) to the Secretary of State", Lines(d)[3]);
    }

    [Fact]
    public void First_paragraph_that_looks_like_a_caption_is_kept_apart_by_an_empty_caption()
    {
        var d = Telegram() with { Captions = [], Body = [new Paragraph([new TextRun("(Copy of the Ambassador’s paper)")])] };
        Assert.Equal(["", "()", "", "(Copy of the Ambassador’s paper)"], Lines(d)[7..11]);
    }

    [Theory]
    [InlineData("1", "¹")]
    [InlineData("12", "¹²")]
    [InlineData("8a", "⁸ᵃ")]
    [InlineData("*", "⁽*⁾")]
    [InlineData("A", "⁽A⁾")]
    public void Marker_is_a_superscript_or_in_superscript_parentheses(string n, string printed) =>
        Assert.Equal(printed, TextExporter.Marker(n));

    [Theory]
    [InlineData("1945-07-13", "1945-07-13", DatePrecision.Day, "July 13, 1945")]
    [InlineData("1945-07-13T17:00", "1945-07-13T17:00", DatePrecision.Minute, "July 13, 1945—5 p.m.")]
    [InlineData("1945-07-13T09:45", "1945-07-13T09:45", DatePrecision.Minute, "July 13, 1945—9:45 a.m.")]
    [InlineData("1945-07-13T12:00", "1945-07-13T12:00", DatePrecision.Minute, "July 13, 1945—noon")]
    [InlineData("1945-07-13T00:00", "1945-07-13T00:00", DatePrecision.Minute, "July 13, 1945—midnight")]
    [InlineData("1945-07-11", "1945-07-12", DatePrecision.Day, "July 11–12, 1945")]
    [InlineData("1945-07-30", "1945-08-02", DatePrecision.Day, "July 30–August 2, 1945")]
    [InlineData("1948-12-30", "1949-01-02", DatePrecision.Day, "December 30, 1948–January 2, 1949")]
    [InlineData("1945-07", "1945-07", DatePrecision.Month, "July 1945")]
    [InlineData("1945-07", "1945-08", DatePrecision.Month, "July–August 1945")]
    [InlineData("1945", "1946", DatePrecision.Year, "1945–1946")]
    [InlineData("1945-07", "1945-07-12", DatePrecision.Month, "July 1945–July 12, 1945")]
    public void Date_is_printed_as_FRUS_prints_it(string from, string to, DatePrecision precision, string printed) =>
        Assert.Equal(printed, TextExporter.FormatDate(new DocumentDate(from, to, precision, DateSource.Dateline)));

    [Fact]
    public void Greenwich_time_is_printed_as_GMT() =>
        Assert.Equal("January 22, 1952—11:22 p.m. GMT",
            TextExporter.FormatDate(new DocumentDate("1952-01-22T23:22", "1952-01-22T23:22", DatePrecision.Minute, DateSource.Dateline, "+00:00")));

    [Fact]
    public void Other_zones_are_printed_as_GMT_offsets() =>
        Assert.Equal("February 27, 1964—5 p.m. GMT+09:00",
            TextExporter.FormatDate(new DocumentDate("1964-02-27T17:00", "1964-02-27T17:00", DatePrecision.Minute, DateSource.Dateline, "+09:00")));

    [Fact]
    public void Terminal_form_wraps_to_the_width()
    {
        var d = Telegram(b => b.Add(new Paragraph([new TextRun(string.Join(" ", Enumerable.Repeat("concessions", 40)))])));
        Assert.All(TextExporter.WriteTerminal(d, 40).Split('\n'), line => Assert.True(line.Length <= 40, line));
    }

    [Fact]
    public void Terminal_form_keeps_every_word()
    {
        var d = Telegram(b => b.Add(new Paragraph([new TextRun(string.Join(" ", Enumerable.Range(1, 60).Select(i => "w" + i)))])));
        Assert.Equal(
            TextExporter.Write(d).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries),
            TextExporter.WriteTerminal(d, 30).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
    }
}

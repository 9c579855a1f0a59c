using Chancery.Core.Access;
using Chancery.Core.Dates;
using Chancery.Core.Documents;
using static Chancery.Ingest.Tests.TelegramFixtures;

namespace Chancery.Ingest.Tests;

/// <summary>The forms a telegram text takes beyond the seed: datelines, received lines, signatures, captions.</summary>
public sealed class TelegramFormTests
{
    private const string Full = """
        761.93/7–1345: Telegram

        No. 580
        The Ambassador in the Soviet Union (Harriman) to the Secretary of State¹

        Moscow, July 13, 1945—5 p.m.
        [Received July 14—9 a.m.]
        secret

        NIACT
        NODIS

        482. Soong saw Stalin and Molotov again.²

        [Page 12]

        He leaves tomorrow [1 paragraph (3 lines) not declassified] for Chungking.

        [2 paragraphs (7 lines) not declassified]

        Harriman

          1. Sent via Army channels.
          2. Repeated to Chungking as telegram 51.
        """;

    private static readonly Document FullDocument = Read(Full);

    [Fact]
    public void Dateline_gives_the_place() => Assert.Equal("Moscow", FullDocument.Place);

    [Fact]
    public void Dateline_gives_the_date_to_the_minute() =>
        Assert.Equal(new DocumentDate("1945-07-13T17:00", "1945-07-13T17:00", DatePrecision.Minute, DateSource.Dateline), FullDocument.Date);

    [Fact]
    public void Received_line_is_kept_as_a_received_paragraph() =>
        Assert.Equal(("[Received July 14—9 a.m.]", "received"), ((Paragraph)FullDocument.Body[0]).Let(p => (p.Text, p.Style)));

    [Fact]
    public void Classification_after_the_dateline_is_read() => Assert.Equal("secret", FullDocument.Classification);

    [Fact]
    public void Bare_captions_are_read_as_printed() => Assert.Equal(["NIACT", "NODIS"], FullDocument.Captions);

    [Fact]
    public void Handling_captions_become_marking_controls() => Assert.Equal(["NODIS"], FullDocument.Marking.Controls);

    [Fact]
    public void Classification_sets_the_marking_level() => Assert.Equal(ClassificationLevel.Secret, FullDocument.Marking.Level);

    [Fact]
    public void Telegram_number_opens_the_body() => Assert.Equal("482", FullDocument.TelegramNumber);

    [Fact]
    public void Telegram_number_stays_in_the_paragraph_as_printed() =>
        Assert.Equal("482. Soong saw Stalin and Molotov again.", FullDocument.ParagraphTexts.ElementAt(1));

    [Fact]
    public void Signature_after_the_body_is_read() => Assert.Equal("Harriman", FullDocument.Signed);

    [Fact]
    public void Signature_is_kept_in_the_body_as_a_closer() =>
        Assert.Equal(("Harriman", "closer"), ((Paragraph)FullDocument.Body[^1]).Let(p => (p.Text, p.Style)));

    [Fact]
    public void Superscript_markers_anchor_footnotes() =>
        Assert.Equal(new FootnoteMark("2"), ((Paragraph)FullDocument.Body[1]).Content[^1]);

    [Fact]
    public void Inline_excision_marker_is_an_excision_mark() =>
        Assert.Equal(
            new Excision("[1 paragraph (3 lines) not declassified]", "paragraph", 1, 3, false),
            ((Paragraph)FullDocument.Body[3]).Content.OfType<ExcisionMark>().Single().Excision);

    [Fact]
    public void Excision_marker_alone_is_an_excision_block() =>
        Assert.Equal("[2 paragraphs (7 lines) not declassified]", ((ExcisionBlock)FullDocument.Body[4]).Text);

    [Fact]
    public void Channel_is_read_from_a_footnote() => Assert.Equal("Army channels", FullDocument.Channel);

    [Fact]
    public void Telegram_cited_in_a_footnote_is_a_reference() =>
        Assert.Contains((ReferenceKind.Telegram, "51", "footnote 2"), FullDocument.References.Select(r => (r.Kind, r.Target, r.Where)));

    [Fact]
    public void Bracketed_signature_is_read_without_the_editors_brackets()
    {
        var d = Read("Telegram\n\nNo. 3\nThe Secretary of State (Acheson) to the Embassy in France\n\nText.\n\n[Acheson]\n");
        Assert.Equal("Acheson", d.Signed);
    }

    [Fact]
    public void Closing_name_the_head_does_not_name_is_text()
    {
        var d = Read("Telegram\n\nNo. 3\nThe Ambassador in Russia (Root) to the Secretary of State\n\nText.\n\nFrancis\n");
        Assert.Equal((null, "Francis"), (d.Signed, d.ParagraphTexts.Last()));
    }

    [Fact]
    public void Signature_set_to_the_right_is_read()
    {
        var d = Read("Telegram\n\nNo. 3\nThe Secretary of State to the Embassy in France\n\nText.\n\n                                        Dean Acheson, Secretary\n");
        Assert.Equal("Dean Acheson, Secretary", d.Signed);
    }

    [Fact]
    public void Marked_line_of_a_closer_is_the_signature()
    {
        var d = Read("Instruction\n\nNo. 3\nThe Secretary of State to the Chargé in France\n\nText.\n\n                    For the Secretary of State:\n                    /s/ William Phillips\n");
        Assert.Equal(("William Phillips", "For the Secretary of State: William Phillips"), (d.Signed, d.ParagraphTexts.Last()));
    }

    [Fact]
    public void Signature_printed_apart_is_not_a_paragraph()
    {
        var d = Read("Telegram\n\nNo. 3\nThe Secretary of State to the Embassy in France\n\nText.\n\n                    Signed: Acheson\n");
        Assert.Equal(("Acheson", 1), (d.Signed, d.Body.Count));
    }

    [Fact]
    public void Eyes_only_caption_sets_the_eyes_only_control()
    {
        var d = Read("Telegram\n\nNo. 3\nThe Secretary of State to the Embassy in France\n\ntop secret\n\nEYES ONLY\n\nText.\n");
        Assert.Equal(["EYES-ONLY"], d.Marking.Controls);
    }

    [Fact]
    public void Editor_supplied_date_in_brackets_has_the_editor_as_source()
    {
        var d = Read("Telegram\n\nNo. 3\nThe Secretary of State to the Embassy in France\n\n[Washington,] [July 2, 1945]\n\nText.\n");
        Assert.Equal((new DocumentDate("1945-07-02", "1945-07-02", DatePrecision.Day, DateSource.Editor), "Washington"), (d.Date, d.Place));
    }

    [Fact]
    public void Dateline_with_a_day_range_gives_a_range()
    {
        var d = Read("Memorandum\n\nNo. 3\nMinutes of a Meeting\n\nPotsdam, July 30–August 2, 1945\n\nText.\n");
        Assert.Equal(new DocumentDate("1945-07-30", "1945-08-02", DatePrecision.Day, DateSource.Dateline), d.Date);
    }

    [Fact]
    public void Dateline_with_a_comma_before_the_hour_is_read()
    {
        var d = Read("Telegram\n\nNo. 3\nThe Ambassador in Russia (Francis) to the Secretary of State\n\nPetrograd, April 6, 1917, 12 p.m.\n\nText.\n");
        Assert.Equal("1917-04-06T12:00", d.Date!.From);
    }

    [Fact]
    public void Source_line_may_name_several_file_numbers()
    {
        var d = Read("740.00119 Council/7–1345; 761.93/7–1445: Telegram\n\nNo. 3\nThe Ambassador to the Secretary\n\nText.\n");
        Assert.Equal(["740.00119 Council/7–1345", "761.93/7–1445"], d.FileNumbers);
    }

    [Fact]
    public void Number_line_may_open_the_file()
    {
        var d = Read("No. 9\nThe Ambassador to the Secretary\n\nText.\n");
        Assert.Equal(("Telegram", "frus1950v01#d9"), (d.Type, d.Id));
    }

    [Fact]
    public void Head_may_run_over_two_lines()
    {
        var d = Read("Telegram\n\nNo. 9\nThe Ambassador in the Soviet Union (Harriman)\nto the Secretary of State\n\nText.\n");
        Assert.Equal("The Ambassador in the Soviet Union (Harriman) to the Secretary of State", d.Title);
    }

    [Fact]
    public void Lines_of_a_paragraph_are_joined_with_line_breaks()
    {
        var d = Read("Telegram\n\nNo. 9\nThe Ambassador to the Secretary\n\nFirst line\nsecond line.\n");
        Assert.Equal<Inline>([new TextRun("First line"), new LineBreak(), new TextRun("second line.")], ((Paragraph)d.Body[0]).Content);
    }

    [Fact]
    public void Marker_digits_after_a_word_anchor_a_footnote_without_superscripts()
    {
        var d = Read("Telegram\n\nNo. 9\nThe Ambassador to the Secretary\n\nHe saw Stalin.1 Then he left.\n\n  1. Marshal Stalin.\n");
        Assert.Equal("He saw Stalin. Then he left.", d.ParagraphTexts.Single());
    }

    [Fact]
    public void Ordinary_numbers_are_not_taken_for_markers()
    {
        var d = Read("Telegram\n\nNo. 9\nThe Ambassador to the Secretary\n\nHe sent 12 aircraft on July 12.\n\n  1. Not printed.\n  2. Not printed.\n");
        Assert.Equal("He sent 12 aircraft on July 12.", d.ParagraphTexts.Single());
    }

    [Fact]
    public void Unnumbered_telegram_gets_an_id_from_its_hash()
    {
        var d = Read("Telegram\n\nThe Ambassador to the Secretary\n\nText.\n");
        Assert.Equal("frus1950v01#t000000000000", d.Id);
    }

    [Fact]
    public void Crlf_line_ends_are_read_like_lf()
    {
        var d = Read("Telegram\r\n\r\nNo. 9\r\nThe Ambassador to the Secretary\r\n\r\nText.\r\n");
        Assert.Equal(("9", "Text."), (d.Number, d.ParagraphTexts.Single()));
    }
}

file static class LetExtensions
{
    public static TResult Let<T, TResult>(this T value, Func<T, TResult> f) => f(value);
}

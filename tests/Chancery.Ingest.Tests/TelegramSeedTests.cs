using Chancery.Core.Access;
using Chancery.Core.Dates;
using Chancery.Core.Documents;
using Chancery.Ingest.Telegrams;
using static Chancery.Ingest.Tests.TelegramFixtures;

namespace Chancery.Ingest.Tests;

/// <summary>The seed telegram (FRUS 1945 Berlin I, document 578) read field by field.</summary>
public sealed class TelegramSeedTests
{
    [Fact]
    public void Id_is_the_volume_and_the_printed_number() => Assert.Equal("frus1945Berlinv01#d578", Seed.Id);

    [Fact]
    public void Volume_is_the_one_given() => Assert.Equal("frus1945Berlinv01", Seed.Volume);

    [Fact]
    public void Number_is_taken_from_the_No_line() => Assert.Equal("578", Seed.Number);

    [Fact]
    public void File_numbers_are_taken_from_the_source_line() => Assert.Equal(["761.93/7–1345"], Seed.FileNumbers);

    [Fact]
    public void Type_follows_the_file_numbers() => Assert.Equal("Telegram", Seed.Type);

    [Fact]
    public void Title_is_the_head_without_its_footnote_marker() =>
        Assert.Equal("The Ambassador in the Soviet Union (Harriman) to the President and the Secretary of State", Seed.Title);

    [Fact]
    public void From_is_the_head_before_to() => Assert.Equal("The Ambassador in the Soviet Union (Harriman)", Seed.From);

    [Fact]
    public void To_is_the_head_after_to() => Assert.Equal("the President and the Secretary of State", Seed.To);

    [Fact]
    public void Head_keeps_footnote_1_at_the_end_of_the_title() =>
        Assert.Equal<Inline>(
            [new TextRun("The Ambassador in the Soviet Union (Harriman) to the President and the Secretary of State"), new FootnoteMark("1")],
            Seed.Head);

    [Fact]
    public void Classification_is_as_printed() => Assert.Equal("top secret", Seed.Classification);

    [Fact]
    public void Caption_is_read_without_its_parentheses() =>
        Assert.Equal(["Personal and top secret for the President and Secretary of State from Harriman."], Seed.Captions);

    [Fact]
    public void Date_is_inferred_from_the_file_number_suffix() =>
        Assert.Equal(new DocumentDate("1945-07-13", "1945-07-13", DatePrecision.Day, DateSource.FileNumber), Seed.Date);

    [Fact]
    public void Place_is_unknown_without_a_dateline() => Assert.Null(Seed.Place);

    [Fact]
    public void Channel_comes_from_footnote_1() => Assert.Equal("Navy channels", Seed.Channel);

    [Fact]
    public void Body_is_five_paragraphs_with_page_864_between_the_second_and_third() =>
        Assert.Equal(
            ["paragraph", "paragraph", "page 864", "paragraph", "paragraph", "paragraph"],
            Seed.Body.Select(b => b switch { PageBreak pb => "page " + pb.Page, Paragraph => "paragraph", _ => b.GetType().Name }));

    [Fact]
    public void First_paragraph_loses_the_marker_digit_of_July_11_12() =>
        Assert.Equal(
            "Soong saw Stalin and Molotov again last night (Thursday) and outlined the maximum concessions he was authorized to make along the lines of my last message (numbers 120015 and 120755, July 11–12)[.]",
            Seed.ParagraphTexts.First());

    [Fact]
    public void Footnote_2_is_anchored_right_after_July_11_12() =>
        Assert.Equal<Inline>(
            [
                new TextRun("Soong saw Stalin and Molotov again last night (Thursday) and outlined the maximum concessions he was authorized to make along the lines of my last message (numbers 120015 and 120755, July 11–12"),
                new FootnoteMark("2"),
                new TextRun(")"),
                new EditorialMark("[.]"),
            ],
            ((Paragraph)Seed.Body[0]).Content);

    [Fact]
    public void Editorial_be_is_kept_as_a_mark() =>
        Assert.Contains(new EditorialMark("[be?]"), ((Paragraph)Seed.Body[1]).Content);

    [Fact]
    public void Last_paragraph_is_not_taken_for_a_signature() =>
        Assert.Equal("I am leaving for Berlin with General Deane and Admiral Maples this afternoon.", Seed.ParagraphTexts.Last());

    [Fact]
    public void Signed_is_absent() => Assert.Null(Seed.Signed);

    [Fact]
    public void Footnotes_are_numbered_and_read_whole() =>
        Assert.Equal(
            [("1", "Sent by the United States Naval Attaché, Moscow, via Navy channels."), ("2", "See document No. 577.")],
            Seed.Footnotes.Select(f => (f.N, f.Text)));

    [Fact]
    public void References_name_both_telegrams_and_the_document() =>
        Assert.Equal(
            [
                (ReferenceKind.Telegram, "120015", "body", "July 11–12"),
                (ReferenceKind.Telegram, "120755", "body", "July 11–12"),
                (ReferenceKind.Document, "frus1945Berlinv01#d577", "footnote 2", (string?)null),
            ],
            Seed.References.Select(r => (r.Kind, r.Target, r.Where, r.Date)));

    [Fact]
    public void Document_reference_keeps_its_evidence() =>
        Assert.Equal("See document No. 577", Seed.References.Single(r => r.Kind == ReferenceKind.Document).Text);

    [Fact]
    public void Persons_are_none() => Assert.Empty(Seed.Persons);

    [Fact]
    public void Marking_is_top_secret() => Assert.Equal(ClassificationLevel.TopSecret, Seed.Marking.Level);

    [Fact]
    public void Marking_controls_come_from_the_personal_for_caption() => Assert.Equal(["PERSONAL-FOR"], Seed.Marking.Controls);

    [Fact]
    public void Release_is_withheld_until_reviewed() => Assert.Equal(ReleaseState.Withheld, Seed.Release);

    [Fact]
    public void Source_hash_is_the_sha256_of_the_file() =>
        Assert.Equal(Hashing.Sha256OfFile(SeedPath), Seed.SourceSha256);

    [Fact]
    public void Read_keeps_the_hash_it_is_given()
    {
        var text = File.ReadAllText(SeedPath);
        var d = TelegramTextReader.Read(text, SeedPath, SeedVolume, "abc123");
        Assert.Equal("abc123", d.SourceSha256);
    }

    [Fact]
    public void Telegram_number_is_absent() => Assert.Null(Seed.TelegramNumber);
}

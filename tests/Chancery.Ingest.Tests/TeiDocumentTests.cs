using Chancery.Core.Access;
using Chancery.Core.Dates;
using Chancery.Core.Documents;

namespace Chancery.Ingest.Tests;

/// <summary>Documents read from the real corpus come out with exactly what FRUS prints.</summary>
public class TeiDocumentTests
{
    private static Document D202 => TeiCorpus.Document("frus1948v05p1", "d202");

    [Fact]
    public void Document_id_is_volume_hash_xml_id_and_number_is_n()
    {
        Assert.Equal("frus1948v05p1#d202", D202.Id);
        Assert.Equal("frus1948v05p1", D202.Volume);
        Assert.Equal("202", D202.Number);
    }

    [Fact]
    public void Title_is_the_head_as_printed()
    {
        Assert.Equal("The Acting Secretary of State to the Legation in Saudi Arabia", D202.Title);
    }

    [Fact]
    public void File_numbers_come_from_the_source_note()
    {
        Assert.Equal(["890F.7962/12–1848"], D202.FileNumbers);
        Assert.Equal("890F.7962/12–1848: Telegram", D202.SourceNote);
    }

    [Fact]
    public void Type_comes_from_the_source_note()
    {
        Assert.Equal("Telegram", D202.Type);
    }

    [Fact]
    public void Sender_and_recipient_come_from_tagged_glosses_in_the_head()
    {
        Assert.Equal("Acting Secretary of State", D202.From);
        Assert.Equal("Legation in Saudi Arabia", D202.To);
    }

    [Fact]
    public void Date_and_place_come_from_the_dateline()
    {
        Assert.Equal(new DocumentDate("1948-12-30T16:00", "1948-12-30T16:00", DatePrecision.Minute, DateSource.Dateline), D202.Date);
        Assert.Equal("Washington", D202.Place);
    }

    [Fact]
    public void Classification_comes_from_the_small_caps_seg_in_the_opener()
    {
        Assert.Equal("top secret", D202.Classification);
        Assert.Equal(ClassificationLevel.TopSecret, D202.Marking.Level);
        Assert.Empty(D202.Marking.Controls);
    }

    [Fact]
    public void Footnotes_keep_their_number_and_text_and_are_anchored_in_the_paragraph()
    {
        var note = Assert.Single(D202.Footnotes);
        Assert.Equal("1", note.N);
        Assert.Equal("Not printed.", note.Text);
        var paragraph = D202.Body.OfType<Paragraph>().ElementAt(1);
        Assert.Contains(new FootnoteMark("1"), paragraph.Content);
    }

    [Fact]
    public void Signer_comes_from_the_closer()
    {
        Assert.Equal("Lovett", D202.Signed);
    }

    [Fact]
    public void Telegram_number_is_the_first_token_of_the_text()
    {
        Assert.Equal("482", D202.TelegramNumber);
    }

    [Fact]
    public void Telegrams_cited_in_the_text_become_telegram_references()
    {
        var telegrams = D202.References.Where(r => r.Kind == ReferenceKind.Telegram).Select(r => r.Target).ToList();
        Assert.Equal(["647", "648", "649", "651", "655", "666"], telegrams);
        Assert.All(D202.References, r => Assert.Equal("body", r.Where));
    }

    [Fact]
    public void Terms_and_released_state_are_recorded()
    {
        Assert.Equal(["t_SAG1"], D202.Terms);
        Assert.Equal(ReleaseState.Released, D202.Release);
        Assert.False(D202.Pending);
    }

    [Fact]
    public void Body_is_the_paragraphs_and_the_closer_in_order()
    {
        var paragraphs = D202.Body.OfType<Paragraph>().ToList();
        Assert.Equal(3, paragraphs.Count);
        Assert.StartsWith("482. Depts State and Natl Defense gratified progress", paragraphs[0].Text);
        Assert.Equal("closer", paragraphs[2].Style);
        Assert.Equal("Lovett", paragraphs[2].Text);
        Assert.Contains(new TermMention("SAG", "t_SAG1"), paragraphs[0].Content);
    }

    [Fact]
    public void A_page_break_inside_a_paragraph_is_a_mark_in_that_paragraph()
    {
        var d20 = TeiCorpus.Document("frus1948v05p1", "d20");
        var paragraph = d20.Body.OfType<Paragraph>().Single(p => p.Content.Contains(new PageBreakMark("26")));
        var at = paragraph.Content.ToList().IndexOf(new PageBreakMark("26"));
        Assert.EndsWith("He said that the ", Assert.IsType<TextRun>(paragraph.Content[at - 1]).Text);
        Assert.StartsWith("Department would like again", Assert.IsType<TextRun>(paragraph.Content[at + 1]).Text);
        Assert.DoesNotContain(new PageBreak("26"), d20.Body);
    }

    [Fact]
    public void A_table_row_is_a_row_paragraph_with_cells_apart()
    {
        var d20 = TeiCorpus.Document("frus1948v05p1", "d20");
        var first = d20.Body.OfType<Paragraph>().First();
        Assert.Equal("row", first.Style);
        Assert.Equal("Participants: | Mr. T. E. Bromley, First Secretary, British Embassy", first.Text);
    }

    [Fact]
    public void A_bracketed_editorial_insertion_is_an_editorial_mark()
    {
        var d20 = TeiCorpus.Document("frus1948v05p1", "d20");
        var second = d20.Body.OfType<Paragraph>().ElementAt(1);
        Assert.Contains(new EditorialMark("[E]"), second.Content);
        Assert.Equal("Mr. E. C. [E] Jones, Attaché, British Embassy", second.Text);
    }

    [Fact]
    public void Memorandum_of_conversation_by_an_author_has_its_type_and_author()
    {
        var d20 = TeiCorpus.Document("frus1948v05p1", "d20");
        Assert.Equal("Memorandum of Conversation", d20.Type);
        Assert.Equal("Mr. Edward B. McEnerney of the Division of Near Eastern Affairs", d20.From);
        Assert.Null(d20.To);
        Assert.Equal("secret", d20.Classification);
        Assert.Equal("Washington", d20.Place);
    }

    [Fact]
    public void Modern_source_note_gives_classification_and_captions()
    {
        var d = TeiCorpus.Documents("frus1964-68v29p2").First(x => x.SourceNote?.Contains("Secret; Limdis.", StringComparison.Ordinal) == true);
        Assert.Equal("secret", d.Classification);
        Assert.Contains("Limdis", d.Captions);
        Assert.Equal(new[] { "LIMDIS" }, d.Marking.Controls);
        Assert.Equal(ClassificationLevel.Secret, d.Marking.Level);
    }

    [Fact]
    public void Modern_letter_has_persons_from_persname_corresp_and_tagged_parties()
    {
        var d5 = TeiCorpus.Document("frus1964-68v29p2", "d5");
        Assert.Equal("5. Letter From Secretary of Defense McNamara to Secretary of State Rusk", d5.Title);
        Assert.Equal("Letter", d5.Type);
        Assert.Equal("McNamara", d5.From);
        Assert.Equal("Rusk", d5.To);
        Assert.Equal("3", d5.Page);
        Assert.Equal("secret", d5.Classification);
        Assert.Equal(["p_MNRS1", "p_RD3"], d5.Persons.Select(p => p.Id));
        Assert.Equal("Bob", d5.Signed);
    }

    [Fact]
    public void Ref_targets_become_document_footnote_and_page_references()
    {
        var d5 = TeiCorpus.Document("frus1964-68v29p2", "d5");
        Assert.Contains(new Reference(ReferenceKind.Footnote, "frus1961-63v22#d383fn4", "Foreign Relations, 1961–1963, vol. XXII, Document 383 and footnote 4", "footnote 2"), d5.References);
        Assert.Contains(new Reference(ReferenceKind.Document, "frus1964-68v29p2#d7", "Document 7", "footnote 3"), d5.References);
        Assert.Contains(new Reference(ReferenceKind.Footnote, "frus1964-68v29p2#d5fn2", "footnote 2", "footnote 4"), d5.References);
    }

    [Fact]
    public void Old_telegram_with_bracketed_source_note_gives_type_file_number_and_parties()
    {
        var d12 = TeiCorpus.Document("frus1918Russiav03", "d12");
        Assert.Equal("Telegram", d12.Type);
        Assert.Equal(["861.51/146"], d12.FileNumbers);
        Assert.Equal("The Ambassador in Russia (Francis) to the Secretary of State", d12.Title);
        Assert.Equal("Francis", d12.From);
        Assert.Equal("Secretary of State", d12.To);
        Assert.Equal("1291", d12.TelegramNumber);
        Assert.Equal("Petrograd", d12.Place);
        Assert.Contains(new Reference(ReferenceKind.Telegram, "1359", "Your 1359", "body"), d12.References);
    }

    [Fact]
    public void Inclosures_follow_the_document_as_blocks_with_their_head()
    {
        var d12 = TeiCorpus.Document("frus1894Nicaragua", "d12");
        Assert.Equal("No. 12. Mr. Baker to Mr. Gresham.", d12.Title);
        Assert.Equal("Baker", d12.From);
        Assert.Equal("Gresham", d12.To);
        Assert.Equal("Lewis Baker", d12.Signed);
        var blocks = d12.Body.OfType<Paragraph>().ToList();
        var source = blocks.First(p => p.Style == "source");
        Assert.Equal("[Inclosure 1 in No. 12.]", source.Text);
        Assert.Equal("head", blocks[blocks.IndexOf(source) + 1].Style);
    }
}

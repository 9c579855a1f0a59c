using Chancery.Core.Access;
using Chancery.Core.Dates;
using Chancery.Core.Documents;
using Chancery.Ingest.Tei;

namespace Chancery.Ingest.Tests;

/// <summary>FRUS encoding conventions, each shown on a tiny volume written for the test.</summary>
public sealed class TeiConventionTests : IDisposable
{
    private const string Open = "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xmlns:frus=\"http://history.state.gov/frus/ns/1.0\" xml:id=\"frusTest\"><text><body>";
    private const string Close = "</body></text></TEI>";

    private readonly string _folder = Directory.CreateTempSubdirectory("chancery-tei-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string body, string name = "frusTest.xml")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, Open + body + Close);
        return path;
    }

    private List<Document> Read(string body)
    {
        using var reader = TeiVolumeReader.Open(Write(body));
        return reader.ReadDocuments().ToList();
    }

    private Document One(string body) => Assert.Single(Read(body));

    private const string Seed =
        "<div type=\"document\" xml:id=\"d578\" n=\"578\"><pb n=\"863\" xml:id=\"pg_863\"/>" +
        "<note rend=\"inline\" type=\"source\">761.93/7–1345: Telegram</note>" +
        "<head>The Ambassador in the Soviet Union (<persName corresp=\"#p_HWA1\">Harriman</persName>) to the President and the Secretary of State<note n=\"1\" xml:id=\"d578fn1\">Sent by the United States Naval Attaché, Moscow, via Navy channels.</note></head>" +
        "<opener><dateline><placeName>Moscow</placeName>, <date when=\"1945-07-13\">July 13, 1945</date>.</dateline><seg><hi rend=\"smallcaps\">top secret</hi></seg></opener>" +
        "<p>(Personal and top secret for the President and Secretary of State from Harriman.)</p>" +
        "<p>Soong saw Stalin again (numbers 120015 and 120755, July 11–12<note n=\"2\" xml:id=\"d578fn2\">See <ref target=\"#d577\">document No. 577</ref>.</note>)[.] There does not appear to [be?] any differences.</p>" +
        "<p>He is leaving for Chungking <pb n=\"864\" xml:id=\"pg_864\"/>tomorrow.</p></div>";

    [Fact]
    public void Sender_and_recipient_are_parsed_from_an_untagged_head()
    {
        var d = One(Seed);
        Assert.Equal("The Ambassador in the Soviet Union (Harriman)", d.From);
        Assert.Equal("the President and the Secretary of State", d.To);
        Assert.Equal("The Ambassador in the Soviet Union (Harriman) to the President and the Secretary of State", d.Title);
    }

    [Fact]
    public void Date_falls_back_to_the_file_number_when_there_is_no_dateline()
    {
        var d = One("<div type=\"document\" xml:id=\"d1\" n=\"1\"><note type=\"source\">761.93/7–1345: Telegram</note><head>The Ambassador to the Secretary</head><p>Text.</p></div>");
        Assert.Equal(new DocumentDate("1945-07-13", "1945-07-13", DatePrecision.Day, DateSource.FileNumber), d.Date);
    }

    [Fact]
    public void A_parenthesised_handling_caption_is_a_caption_with_its_controls()
    {
        var d = One(Seed);
        Assert.Equal(["(Personal and top secret for the President and Secretary of State from Harriman.)"], d.Captions);
        Assert.Equal(new[] { "PERSONAL-FOR" }, d.Marking.Controls);
        Assert.Equal(ClassificationLevel.TopSecret, d.Marking.Level);
    }

    [Fact]
    public void The_channel_is_taken_from_a_footnote()
    {
        Assert.Equal("Navy channels", One(Seed).Channel);
    }

    [Fact]
    public void Editorial_insertions_are_editorial_marks()
    {
        var paragraph = One(Seed).Body.OfType<Paragraph>().ElementAt(1);
        Assert.Contains(new EditorialMark("[.]"), paragraph.Content);
        Assert.Contains(new EditorialMark("[be?]"), paragraph.Content);
        Assert.Equal("Soong saw Stalin again (numbers 120015 and 120755, July 11–12)[.] There does not appear to [be?] any differences.", paragraph.Text);
    }

    [Fact]
    public void Telegram_numbers_after_numbers_are_telegram_references()
    {
        var telegrams = One(Seed).References.Where(r => r.Kind == ReferenceKind.Telegram).ToList();
        Assert.Equal([new Reference(ReferenceKind.Telegram, "120015", "numbers 120015 and 120755, July 11", "body"), new Reference(ReferenceKind.Telegram, "120755", "numbers 120015 and 120755, July 11", "body")], telegrams);
    }

    [Fact]
    public void A_ref_in_a_footnote_is_a_document_reference_in_that_footnote()
    {
        var d = One(Seed);
        Assert.Equal([new Reference(ReferenceKind.Document, "frusTest#d577", "document No. 577", "footnote 2")], d.References.Where(r => r.Kind == ReferenceKind.Document));
        Assert.Contains(new ReferenceMark("document No. 577", "frusTest#d577"), d.Footnotes[1].Content);
    }

    [Fact]
    public void Page_is_the_page_break_at_the_start_and_later_breaks_are_marks()
    {
        var d = One(Seed);
        Assert.Equal("863", d.Page);
        Assert.Contains(new PageBreakMark("864"), d.Body.OfType<Paragraph>().Last().Content);
    }

    [Fact]
    public void Page_is_the_last_page_break_before_the_document()
    {
        var docs = Read("<pb n=\"12\" xml:id=\"pg_12\"/><div type=\"document\" xml:id=\"d1\" n=\"1\"><head>A</head><p>x</p></div><pb n=\"13\" xml:id=\"pg_13\"/><div type=\"chapter\" xml:id=\"ch1\"><head>B</head><div type=\"document\" xml:id=\"d2\" n=\"2\"><head>C</head><p>y</p></div></div>");
        Assert.Equal(["12", "13"], docs.Select(d => d.Page));
    }

    [Fact]
    public void A_page_break_between_paragraphs_is_a_page_break_block()
    {
        var d = One("<div type=\"document\" xml:id=\"d1\" n=\"1\"><head>A</head><p>x</p><pb n=\"5\" xml:id=\"pg_5\"/><p>y</p></div>");
        Assert.Equal(new PageBreak("5"), d.Body[1]);
    }

    [Fact]
    public void Source_note_marking_gives_classification_captions_and_controls()
    {
        var d = One("<div type=\"document\" xml:id=\"d9\" n=\"9\"><head>9. Telegram From the Embassy in Japan to the Department of State<note n=\"1\" type=\"source\">Source: National Archives, RG 59, Central Files 1964–66, POL 1 JAPAN–US. Top Secret; Priority; Nodis. Repeated to CINCPAC.</note></head><p>1. Text.</p><p>2. More.</p></div>");
        Assert.Equal("top secret", d.Classification);
        Assert.Equal(["Priority", "Nodis"], d.Captions);
        Assert.Equal(ClassificationLevel.TopSecret, d.Marking.Level);
        Assert.Equal(["NODIS"], d.Marking.Controls);
        Assert.Equal("Telegram", d.Type);
        Assert.Equal("the Embassy in Japan", d.From);
        Assert.Equal("the Department of State", d.To);
        Assert.Null(d.TelegramNumber);
        Assert.Empty(d.Footnotes);
    }

    [Fact]
    public void A_marking_seg_with_a_caption_gives_both()
    {
        var d = One("<div type=\"document\" xml:id=\"d1\" n=\"1\"><head>A</head><opener><seg rendition=\"#left\"><hi rend=\"smallcaps\">secret us urgent</hi></seg></opener><p>Text.</p></div>");
        Assert.Equal("secret", d.Classification);
        Assert.Equal(["us urgent"], d.Captions);
        Assert.Equal(["Text."], d.ParagraphTexts);
    }

    [Fact]
    public void A_small_caps_marking_straight_in_the_opener_is_the_classification()
    {
        var d = One("<div type=\"document\" xml:id=\"d1\" n=\"1\"><head>A</head><opener><hi rend=\"smallcaps\">confidential</hi></opener><p>Text.</p></div>");
        Assert.Equal("confidential", d.Classification);
        Assert.Equal(["Text."], d.ParagraphTexts);
    }

    [Fact]
    public void A_frus_classification_element_gives_the_classification()
    {
        var d = One("<div type=\"document\" xml:id=\"d1\" n=\"1\"><head>A</head><opener><frus:classification level=\"ts\">Top Secret</frus:classification></opener><p>Text.</p></div>");
        Assert.Equal("top secret", d.Classification);
        Assert.Equal(ClassificationLevel.TopSecret, d.Marking.Level);
    }

    [Fact]
    public void A_modern_head_splits_sender_and_recipient_after_the_parenthesised_name()
    {
        var d = One("<div type=\"document\" xml:id=\"d3\" n=\"3\"><head>3. Memorandum From the Special Assistant to the President for National Security Affairs (Rostow) to President Johnson</head><p>x</p></div>");
        Assert.Equal("Memorandum", d.Type);
        Assert.Equal("the Special Assistant to the President for National Security Affairs (Rostow)", d.From);
        Assert.Equal("President Johnson", d.To);
    }

    [Fact]
    public void A_numbered_telegram_head_gives_the_telegram_number()
    {
        var d = One("<div type=\"document\" xml:id=\"d4\" n=\"4\"><head>4. Telegram 2050 From the Mission to the United Nations to the Department of State</head><p>1. Text.</p></div>");
        Assert.Equal("2050", d.TelegramNumber);
        Assert.Equal("Telegram", d.Type);
    }

    [Fact]
    public void Editorial_note_has_its_type_and_no_parties()
    {
        var d = One("<div type=\"document\" xml:id=\"d5\" n=\"5\"><head>5. Editorial Note</head><p>On May 3 the President spoke to the Ambassador.</p></div>");
        Assert.Equal("Editorial Note", d.Type);
        Assert.Null(d.From);
        Assert.Null(d.To);
        Assert.Null(d.Date);
    }

    [Fact]
    public void Documents_cited_in_words_are_document_references_in_the_same_volume()
    {
        var d = One("<div type=\"document\" xml:id=\"d6\" n=\"6\"><head>A</head><p>See Documents 12–14 and Document 31; compare Foreign Relations, 1961–1963, vol. XXII, Document 383.</p></div>");
        Assert.Equal(["frusTest#d12", "frusTest#d13", "frusTest#d14", "frusTest#d31"], d.References.Select(r => r.Target));
        Assert.All(d.References, r => Assert.Equal(ReferenceKind.Document, r.Kind));
    }

    [Fact]
    public void Telegrams_cited_by_their_short_names_are_telegram_references()
    {
        var d = One("<div type=\"document\" xml:id=\"d7\" n=\"7\"><head>A</head><p>Embtel 1012. Your 120, my 482 and Deptel 666 of December 29, 5 p.m.; also telegram No. 77 and Secto 12.</p></div>");
        Assert.Equal(["1012", "120", "482", "666", "77", "Secto 12"], d.References.Select(r => r.Target));
    }

    [Fact]
    public void Ref_targets_give_volume_page_and_external_references()
    {
        var d = One("<div type=\"document\" xml:id=\"d8\" n=\"8\"><head>A</head><p>See <ref target=\"frus1947v03\">volume III</ref>, <ref target=\"frus1947v03#pg_179\">p. 179</ref>, <ref target=\"#pg_5\">p. 5</ref> and <ref target=\"https://history.state.gov\">the website</ref>.</p></div>");
        Assert.Equal(
            [
                new Reference(ReferenceKind.Volume, "frus1947v03", "volume III", "body"),
                new Reference(ReferenceKind.Page, "frus1947v03#pg_179", "p. 179", "body"),
                new Reference(ReferenceKind.Page, "frusTest#pg_5", "p. 5", "body"),
                new Reference(ReferenceKind.External, "https://history.state.gov", "the website", "body"),
            ],
            d.References);
    }

    [Fact]
    public void A_paragraph_that_is_only_an_excision_marker_is_an_excision_block()
    {
        var d = One("<div type=\"document\" xml:id=\"d9\" n=\"9\"><head>A</head><p>[<hi rend=\"italic\">1 paragraph (4 lines) not declassified</hi>]</p><p>Text.</p></div>");
        var block = Assert.IsType<ExcisionBlock>(d.Body[0]);
        Assert.Equal(new Excision("[1 paragraph (4 lines) not declassified]", "paragraph", 1, 4, false), block.Excision);
    }

    [Fact]
    public void An_excision_marker_split_by_a_page_break_is_one_mark_followed_by_the_break()
    {
        var d = One("<div type=\"document\" xml:id=\"d9\" n=\"9\"><head>A</head><p>project [name not <pb n=\"87\" xml:id=\"pg_87\"/>declassified], calling</p></div>");
        var content = Assert.IsType<Paragraph>(d.Body[0]).Content;
        Assert.Equal<Inline>([new TextRun("project "), new ExcisionMark(new Excision("[name not declassified]", "name", null, null, false)), new PageBreakMark("87"), new TextRun(", calling")], content);
    }

    [Fact]
    public void Excision_markers_in_head_dateline_and_source_note_are_kept_as_head_excisions()
    {
        var d = One("<div type=\"document\" xml:id=\"d9\" n=\"9\"><head>9. Telegram From Station [<hi rend=\"italic\">place not declassified</hi>] to the Central Intelligence Agency<note n=\"1\" type=\"source\">Source: Central Intelligence Agency, Job 79-01025A. Secret; [handling restriction not declassified].</note></head><dateline><placeName>[place not declassified]</placeName>, <date when=\"1954-03-12\">March 12, 1954</date>.</dateline><p>Text.</p></div>");
        Assert.Equal(["[place not declassified]", "[handling restriction not declassified]", "[place not declassified]"], d.HeadExcisions.Select(e => e.Text));
        Assert.Equal("9. Telegram From Station [place not declassified] to the Central Intelligence Agency", d.Title);
        Assert.Equal("[place not declassified]", d.Place);
        Assert.Equal("secret", d.Classification);
    }

    [Fact]
    public void A_pending_document_is_a_withheld_placeholder()
    {
        var d = One("<div type=\"document-pending\" xml:id=\"d10\" n=\"10\"><head>10. Memorandum From the Director of Central Intelligence to the President</head></div>");
        Assert.True(d.Pending);
        Assert.Equal(ReleaseState.Withheld, d.Release);
        Assert.Equal("10. Memorandum From the Director of Central Intelligence to the President", d.Title);
        Assert.Equal("10", d.Number);
    }

    [Fact]
    public void Unnumbered_documents_have_no_number()
    {
        var docs = Read("<div type=\"document\" xml:id=\"d1\" n=\"[n]\"><head>A</head></div><div type=\"document\" xml:id=\"d2\" n=\"[2]\"><head>B</head></div><div type=\"document\" xml:id=\"d3\" n=\"145A\"><head>C</head></div>");
        Assert.Equal([null, "2", "145A"], docs.Select(d => d.Number));
    }

    [Fact]
    public void A_nested_document_div_is_read_once_after_its_outer_document()
    {
        var docs = Read("<div type=\"document\" xml:id=\"d1\" n=\"1\"><head>Outer</head><p>a</p><div type=\"document\" xml:id=\"d2\" n=\"2\"><head>Inner</head><p>b</p></div><p>c</p></div>");
        Assert.Equal(["frusTest#d1", "frusTest#d2"], docs.Select(d => d.Id));
        Assert.Equal(["a", "c"], docs[0].ParagraphTexts);
        Assert.Equal(["b"], docs[1].ParagraphTexts);
    }

    [Fact]
    public void Lists_quotes_and_attachments_become_styled_paragraphs()
    {
        var d = One("<div type=\"document\" xml:id=\"d1\" n=\"1\"><head>A</head><p>Points:<list><item>one</item><label>(b)</label><item>two</item></list>after</p><quote><p>quoted</p></quote><frus:attachment><head>Enclosure</head><p>inside</p></frus:attachment></div>");
        Assert.Equal(
            [(null, "Points:"), ("item", "one"), ("item", "(b) two"), (null, "after"), ("quote", "quoted"), ("head", "Enclosure"), (null, "inside")],
            d.Body.OfType<Paragraph>().Select(p => (p.Style, p.Text)));
    }

    [Fact]
    public void Volume_id_falls_back_to_the_frus_idno_and_then_the_file_name()
    {
        var path = Path.Combine(_folder, "frusFallback.xml");
        File.WriteAllText(path, "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc><publicationStmt><idno type=\"frus\">frusIdno</idno></publicationStmt></fileDesc></teiHeader><text><body><div type=\"document\" xml:id=\"d1\"><head>A</head></div></body></text></TEI>");
        using var reader = TeiVolumeReader.Open(path);
        Assert.Equal("frusIdno#d1", reader.ReadDocuments().Single().Id);
        File.WriteAllText(path, "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><div type=\"document\" xml:id=\"d1\"><head>A</head></div></body></text></TEI>");
        using var bare = TeiVolumeReader.Open(path);
        Assert.Equal("frusFallback#d1", bare.ReadDocuments().Single().Id);
    }

    [Fact]
    public void Dateline_ranges_and_times_give_ranged_dates()
    {
        var docs = Read(
            "<div type=\"document\" xml:id=\"d1\"><head>A</head><dateline><date from=\"1954-03-01\" to=\"1954-03-05\">March 1–5</date></dateline></div>" +
            "<div type=\"document\" xml:id=\"d2\"><head>B</head><dateline><date notBefore=\"1954-03\" notAfter=\"1954-04\">Spring</date></dateline></div>" +
            "<div type=\"document\" xml:id=\"d3\"><head>C</head><dateline><placeName>Washington</placeName>, <date when=\"1954-03-12\">March 12, 1954</date>, <time from=\"09:40:00\" to=\"12:10:00\">9:40 a.m.–12:10 p.m.</time></dateline></div>" +
            "<div type=\"document\" xml:id=\"d4\" frus:doc-dateTime-min=\"1961-01-20T10:00:00-05:00\" frus:doc-dateTime-max=\"1961-01-20T11:00:00-05:00\"><head>D</head></div>");
        Assert.Equal(
            [
                new DocumentDate("1954-03-01", "1954-03-05", DatePrecision.Day, DateSource.Dateline),
                new DocumentDate("1954-03", "1954-04", DatePrecision.Month, DateSource.Dateline),
                new DocumentDate("1954-03-12T09:40", "1954-03-12T12:10", DatePrecision.Minute, DateSource.Dateline),
                new DocumentDate("1961-01-20T10:00", "1961-01-20T11:00", DatePrecision.Minute, DateSource.Dateline, "-05:00"),
            ],
            docs.Select(d => d.Date));
    }
}

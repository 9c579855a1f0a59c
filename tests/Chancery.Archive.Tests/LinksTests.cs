using Chancery.Core.Access;
using Chancery.Core.Dates;
using Chancery.Core.Documents;
using static Chancery.Archive.Tests.LinkTestDocuments;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>Telegrams for the link tests.</summary>
internal static class LinkTestDocuments
{
    /// <summary>A telegram of volume <paramref name="volume"/>: document <paramref name="n"/>, its own number, parties and day.</summary>
    internal static Document Telegram(string volume, int n, string? number, string from, string to, string day, string body = "Text.", params Reference[] references) =>
        Make(volume, n, $"Telegram {number}", body) with
        {
            From = from,
            To = to,
            TelegramNumber = number,
            Date = DocumentDate.FromIso(day, DateSource.Dateline),
            References = references,
        };
}

/// <summary>
/// Reference resolution, links as a reader sees them, threads and the decimal file, on small archives; every backend
/// runs these same tests with the same expected values (<see cref="SqliteLinksTests"/>, <see cref="PostgresLinksTests"/>).
/// </summary>
public abstract class LinksTests<TArchive> : IDisposable where TArchive : IArchive, ILinkArchive
{
    private const string Moscow = "The Ambassador in the Soviet Union (Harriman)";
    private const string Department = "the Secretary of State";
    private const string London = "The Ambassador in the United Kingdom (Winant)";

    private readonly TArchive _archive;

    protected LinksTests(TArchive archive)
    {
        _archive = archive;
    }

    public virtual void Dispose()
    {
        _archive.Dispose();
        GC.SuppressFinalize(this);
    }

    private static Reference Cites(string number, string text, string where = "body", string? date = null) => new(ReferenceKind.Telegram, number, text, where, date);

    private LinkView Only(string id) => Assert.Single(_archive.LinksOf(id, ReaderIdentity.System)!.Cites);

    private (LinkStatus, string?, string) Outcome(LinkView l) => (l.Status, l.TargetId, l.Reason);

    [Fact]
    public void A_document_target_in_the_archive_resolves_to_it()
    {
        var citing = Make("volA", 1, "Citing", "See Document 2.") with { References = [new Reference(ReferenceKind.Document, "volA#d2", "Document 2", "body")] };
        Store(_archive, "volA", citing, Make("volA", 2, "Cited"));
        Assert.Equal((LinkStatus.Resolved, "volA#d2", "document in the archive"), Outcome(Only("volA#d1")));
    }

    [Fact]
    public void A_document_target_missing_from_an_ingested_volume_is_unresolved_as_no_such_document()
    {
        var citing = Make("volA", 1, "Citing") with { References = [new Reference(ReferenceKind.Document, "volA#d9", "Document 9", "body")] };
        Store(_archive, "volA", citing);
        Assert.Equal((LinkStatus.Unresolved, null, "no document d9 in volA"), Outcome(Only("volA#d1")));
    }

    [Fact]
    public void A_target_in_a_volume_not_ingested_is_unresolved_as_such()
    {
        var citing = Make("volA", 1, "Citing") with { References = [new Reference(ReferenceKind.Document, "volB#d3", "vol. B, Document 3", "footnote 1")] };
        Store(_archive, "volA", citing);
        Assert.Equal((LinkStatus.Unresolved, null, "volume volB is not in the archive"), Outcome(Only("volA#d1")));
    }

    [Fact]
    public void A_page_target_resolves_to_the_document_starting_on_that_page()
    {
        var citing = Make("volA", 1, "Citing") with { Page = "10", References = [new Reference(ReferenceKind.Page, "volA#pg_12", "p. 12", "footnote 1")] };
        Store(_archive, "volA", citing, Make("volA", 2, "On 12") with { Page = "12" });
        Assert.Equal((LinkStatus.Resolved, "volA#d2", "document starting on page 12"), Outcome(Only("volA#d1")));
    }

    [Fact]
    public void A_page_that_begins_inside_a_document_resolves_to_that_document()
    {
        var citing = Make("volA", 1, "Citing") with { Page = "10", References = [new Reference(ReferenceKind.Page, "volA#pg_13", "p. 13", "footnote 1")] };
        var longOne = Make("volA", 2, "From 12 to 14", "One.", "Two.") with
        {
            Page = "12",
            Body = [new Paragraph([new TextRun("One.")]), new PageBreak("13"), new Paragraph([new TextRun("Two"), new PageBreakMark("14"), new TextRun(".")])],
        };
        Store(_archive, "volA", citing, longOne);
        Assert.Equal((LinkStatus.Resolved, "volA#d2", "page 13 falls within the document"), Outcome(Only("volA#d1")));
    }

    [Fact]
    public void Your_number_resolves_to_the_telegram_the_recipient_sent_to_the_sender()
    {
        Store(_archive, "volA",
            Telegram("volA", 1, "120", Department, Moscow, "1945-07-01"),
            Telegram("volA", 2, "120", London, Department, "1945-07-02"),
            Telegram("volA", 3, "121", Moscow, Department, "1945-07-05", "Your 120 received.", Cites("120", "Your 120")));
        var link = Only("volA#d3");
        Assert.Equal((LinkStatus.Resolved, "volA#d1"), (link.Status, link.TargetId));
        Assert.Equal("telegram 120 from the Secretary of State to The Ambassador in the Soviet Union (Harriman), 1945-07-01; from and to the parties the citation implies", link.Reason);
    }

    [Fact]
    public void Of_two_telegrams_in_the_same_channel_the_nearest_earlier_one_is_taken()
    {
        Store(_archive, "volA",
            Telegram("volA", 1, "120", Department, Moscow, "1945-03-01"),
            Telegram("volA", 2, "120", Department, Moscow, "1945-07-01"),
            Telegram("volA", 3, "120", Department, Moscow, "1945-07-20"),
            Telegram("volA", 4, "300", Moscow, Department, "1945-07-10", "Your 120.", Cites("120", "Your 120")));
        var link = Only("volA#d4");
        Assert.Equal((LinkStatus.Resolved, "volA#d2"), (link.Status, link.TargetId));
        Assert.Equal(["volA#d2", "volA#d1"], link.Candidates.Select(c => c.Id));
    }

    [Fact]
    public void Two_equally_good_candidates_make_the_link_ambiguous()
    {
        Store(_archive, "volA",
            Telegram("volA", 1, "77", Moscow, Department, "1945-07-01"),
            Telegram("volA", 2, "77", Department, Moscow, "1945-07-01"),
            Telegram("volA", 3, "90", Moscow, Department, "1945-07-04", "Telegram 77.", Cites("77", "Telegram 77")));
        var link = Only("volA#d3");
        Assert.Equal((LinkStatus.Ambiguous, null, "2 telegrams numbered 77 fit equally well"), Outcome(link));
        Assert.Equal(["volA#d1", "volA#d2"], link.Candidates.Select(c => c.Id));
    }

    [Fact]
    public void A_telegram_in_the_same_volume_is_preferred_to_one_in_another_volume()
    {
        Store(_archive, "volB", Telegram("volB", 1, "120", Department, Moscow, "1945-07-08"));
        Store(_archive, "volA",
            Telegram("volA", 1, "120", Department, Moscow, "1945-06-01"),
            Telegram("volA", 2, "300", Moscow, Department, "1945-07-10", "Your 120.", Cites("120", "Your 120")));
        Assert.Equal("volA#d1", Only("volA#d2").TargetId);
    }

    [Fact]
    public void A_telegram_found_only_in_another_volume_resolves_there()
    {
        Store(_archive, "volB", Telegram("volB", 1, "120", Department, Moscow, "1945-07-08"));
        Store(_archive, "volA", Telegram("volA", 2, "300", Moscow, Department, "1945-07-10", "Your 120.", Cites("120", "Your 120")));
        var link = Only("volA#d2");
        Assert.Equal((LinkStatus.Resolved, "volB#d1"), (link.Status, link.TargetId));
        Assert.EndsWith("; in another volume", link.Reason);
    }

    [Fact]
    public void A_number_between_other_parties_does_not_resolve_and_says_why()
    {
        Store(_archive, "volA",
            Telegram("volA", 1, "120", London, Department, "1945-07-01"),
            Telegram("volA", 2, "300", Moscow, Department, "1945-07-10", "Your 120.", Cites("120", "Your 120")));
        Assert.Equal((LinkStatus.Unresolved, null, "telegram 120 in the archive does not fit: volA#d1 is from The Ambassador in the United Kingdom (Winant) to the Secretary of State"),
            Outcome(Only("volA#d2")));
    }

    [Fact]
    public void A_cited_date_that_does_not_match_leaves_the_link_unresolved_with_the_cited_date()
    {
        Store(_archive, "volA",
            Telegram("volA", 1, "120", Department, Moscow, "1945-07-01"),
            Telegram("volA", 2, "300", Moscow, Department, "1945-07-10", "Your 120, July 5.", Cites("120", "Your 120, July 5")));
        var link = Only("volA#d2");
        Assert.Equal((LinkStatus.Unresolved, "telegram 120 in the archive does not fit: volA#d1 is dated 1945-07-01, not July 5", "July 5"),
            (link.Status, link.Reason, link.CitedDate));
    }

    [Fact]
    public void A_citation_followed_by_a_not_printed_footnote_is_not_printed()
    {
        var citing = Telegram("volA", 2, "300", Moscow, Department, "1945-07-10", "", Cites("120", "Deptel 120, July 5")) with
        {
            Body = [new Paragraph([new TextRun("As instructed in Deptel 120, July 5"), new FootnoteMark("1"), new TextRun(", I saw Molotov.")])],
            Footnotes = [new Footnote("1", [new TextRun("Not printed.")])],
        };
        Store(_archive, "volA", Telegram("volA", 1, "120", Department, Moscow, "1945-07-05"), citing);
        var link = Only("volA#d2");
        Assert.Equal((LinkStatus.NotPrinted, null, "footnote 1: Not printed.", "July 5"), (link.Status, link.TargetId, link.Reason, link.CitedDate));
    }

    [Fact]
    public void A_citation_whose_footnote_points_to_a_page_resolves_there()
    {
        var citing = Telegram("volA", 1, "300", Moscow, Department, "1945-07-10", "", Cites("824", "telegram 824", "footnote 2")) with
        {
            Page = "1",
            Footnotes = [new Footnote("2", [new TextRun("Sent as telegram 824 from New Delhi, September 13, "), new ReferenceMark("p. 5", "#pg_5"), new TextRun(".")])],
        };
        Store(_archive, "volA", citing, Telegram("volA", 2, null, "New Delhi", Department, "1945-07-08") with { Page = "5" });
        Assert.Equal((LinkStatus.Resolved, "volA#d2", "the citation points to volA#pg_5 (document starting on page 5)"), Outcome(Only("volA#d1")));
    }

    [Fact]
    public void A_target_the_reader_may_not_see_is_shown_as_document_withheld()
    {
        var citing = Make("volA", 1, "Citing") with { References = [new Reference(ReferenceKind.Document, "volA#d2", "Document 2", "body")] };
        Store(_archive, "volA", citing, Withheld(Make("volA", 2, "Secret cited"), ClassificationLevel.Secret));
        var link = Assert.Single(_archive.LinksOf("volA#d1", ReaderIdentity.Public)!.Cites);
        Assert.Equal((LinkStatus.Resolved, null, LinkedDocument.WithheldDocument, "document withheld"), (link.Status, link.TargetId, link.Document, link.Document!.Label));
    }

    [Fact]
    public void A_cleared_reader_sees_the_withheld_target_described()
    {
        var citing = Make("volA", 1, "Citing") with { References = [new Reference(ReferenceKind.Document, "volA#d2", "Document 2", "body")] };
        Store(_archive, "volA", citing, Withheld(Make("volA", 2, "Secret cited"), ClassificationLevel.Secret));
        var reader = User("cleared", ClassificationLevel.Secret).Identity;
        var link = Assert.Single(_archive.LinksOf("volA#d1", reader)!.Cites);
        Assert.Equal(new LinkedDocument("volA#d2", false, "Secret cited", "1945-07-12", Moscow, Department, null), link.Document);
    }

    [Fact]
    public void Citing_documents_the_reader_may_not_see_are_left_out_of_cited_by()
    {
        var open = Make("volA", 1, "Open citing") with { References = [new Reference(ReferenceKind.Document, "volA#d3", "Document 3", "body")] };
        var secret = Withheld(Make("volA", 2, "Secret citing") with { References = [new Reference(ReferenceKind.Document, "volA#d3", "Document 3", "body")] }, ClassificationLevel.TopSecret);
        Store(_archive, "volA", open, secret, Make("volA", 3, "Cited"));
        Assert.Equal(["volA#d1"], _archive.LinksOf("volA#d3", ReaderIdentity.Public)!.CitedBy.Select(l => l.SourceId));
        Assert.Equal(["volA#d1", "volA#d2"], _archive.LinksOf("volA#d3", ReaderIdentity.System)!.CitedBy.Select(l => l.SourceId));
    }

    [Fact]
    public void Links_of_a_document_the_reader_may_not_see_are_null()
    {
        Store(_archive, "volA", Withheld(Make("volA", 1, "Secret"), ClassificationLevel.Secret));
        Assert.Null(_archive.LinksOf("volA#d1", ReaderIdentity.Public));
    }

    [Fact]
    public void Links_follow_a_reingest_without_an_explicit_rebuild()
    {
        var citing = Make("volA", 1, "Citing") with { References = [new Reference(ReferenceKind.Document, "volB#d3", "vol. B, Document 3", "footnote 1")] };
        Store(_archive, "volA", citing);
        Assert.Equal(LinkStatus.Unresolved, Only("volA#d1").Status);
        Store(_archive, "volB", Make("volB", 3, "Now here"));
        Assert.Equal((LinkStatus.Resolved, "volB#d3"), (Only("volA#d1").Status, Only("volA#d1").TargetId));
    }

    [Fact]
    public void Evidence_standing_only_in_a_cut_paragraph_does_not_show_to_the_public()
    {
        var citing = Make("volA", 1, "Citing", "Open paragraph.", "Secret paragraph citing Document 2.") with
        {
            References = [new Reference(ReferenceKind.Document, "volA#d2", "Document 2", "body")],
            Marking = new Marking(ClassificationLevel.Secret, []),
        };
        Store(_archive, "volA", citing, Make("volA", 2, "Cited"));
        _archive.Review(new ReviewDecision("volA#d1", ReviewAction.Release, [new ExciseSpan(2)], "sources"), User("rev", ClassificationLevel.Secret));
        Assert.Empty(_archive.LinksOf("volA#d1", ReaderIdentity.Public)!.Cites);
        Assert.Single(_archive.LinksOf("volA#d1", User("cleared", ClassificationLevel.Secret).Identity)!.Cites);
    }

    [Fact]
    public void Rebuild_reports_per_volume_the_share_of_explicit_targets_that_resolve()
    {
        var citing = Make("volA", 1, "Citing") with
        {
            Body = [new Paragraph([new ReferenceMark("Document 2", "#d2"), new TextRun(", "), new ReferenceMark("vol. B, Document 1", "volB#d1"), new TextRun(", Document 7, telegram 99.")])],
            References =
            [
                new Reference(ReferenceKind.Document, "volA#d2", "Document 2", "body"),
                new Reference(ReferenceKind.Document, "volB#d1", "vol. B, Document 1", "body"),
                new Reference(ReferenceKind.Document, "volA#d7", "Document 7", "body"),
                Cites("99", "telegram 99"),
            ],
        };
        Store(_archive, "volA", citing, Make("volA", 2, "Cited"));
        var report = _archive.RebuildLinks();
        // two explicit targets, one inside the archive and resolved; one document named in words, not found; one telegram, not found
        Assert.Equal(new VolumeLinkReport("volA", 2, 1, 1, 1, 0, 0, 0, 1, 1, 0), Assert.Single(report.Volumes));
    }

    // ---- threads ----------------------------------------------------------------------------------------------

    private void StoreChain(bool middleWithheld)
    {
        var first = Telegram("volA", 1, "120", Department, Moscow, "1945-07-01", "Please see Stalin.");
        var second = Telegram("volA", 2, "2500", Moscow, Department, "1945-07-03", "Your 120. I saw Stalin.", Cites("120", "Your 120"));
        var third = Telegram("volA", 3, "125", Department, Moscow, "1945-07-05", "Your 2500. Well done.", Cites("2500", "Your 2500"));
        var unrelated = Telegram("volA", 4, "9", London, Department, "1945-07-02", "Nothing.");
        Store(_archive, "volA", first, middleWithheld ? Withheld(second, ClassificationLevel.TopSecret) : second, third, unrelated);
    }

    [Fact]
    public void A_thread_is_the_chain_of_telegrams_citing_each_other_in_date_order()
    {
        StoreChain(middleWithheld: false);
        var thread = _archive.GetThread("volA#d3", ReaderIdentity.Public);
        Assert.Equal(
            [
                new ThreadEntry("volA#d1", "1945-07-01", Department, Moscow, "120", "Telegram 120", "Please see Stalin."),
                new ThreadEntry("volA#d2", "1945-07-03", Moscow, Department, "2500", "Telegram 2500", "Your 120. I saw Stalin."),
                new ThreadEntry("volA#d3", "1945-07-05", Department, Moscow, "125", "Telegram 125", "Your 2500. Well done."),
            ],
            thread);
    }

    [Fact]
    public void A_thread_leaves_out_documents_the_reader_may_not_see_and_does_not_pass_through_them()
    {
        StoreChain(middleWithheld: true);
        Assert.Equal(["volA#d3"], _archive.GetThread("volA#d3", ReaderIdentity.Public).Select(e => e.Id));
        Assert.Equal(["volA#d1", "volA#d2", "volA#d3"], _archive.GetThread("volA#d3", ReaderIdentity.System).Select(e => e.Id));
    }

    [Fact]
    public void A_withheld_telegram_a_cleared_reader_sees_in_a_thread_is_recorded_in_the_audit_trail()
    {
        StoreChain(middleWithheld: true);
        _archive.GetThread("volA#d3", User("cleared", ClassificationLevel.TopSecret).Identity);
        var entry = Assert.Single(_archive.ListAudit("cleared", null, 10));
        Assert.Equal(("read", "volA#d2", "thread", "first line in a telegram thread"), (entry.Action, entry.DocumentId, entry.Surface, entry.Detail));
    }

    // ---- the decimal file -------------------------------------------------------------------------------------

    [Fact]
    public void Documents_in_a_file_are_listed_by_date_with_the_meaning_of_their_numbers()
    {
        Store(_archive, "volA",
            Make("volA", 2, "Later") with { FileNumbers = ["761.93/7–1445"] },
            Make("volA", 1, "Earlier") with { FileNumbers = ["761.93/7–1345", "740.0011 EW/7–1345"] },
            Make("volA", 3, "Elsewhere") with { FileNumbers = ["893.00/7–1345"] },
            Withheld(Make("volA", 4, "Secret") with { FileNumbers = ["761.93/7–1545"] }, ClassificationLevel.Secret));
        var filed = _archive.DocumentsInFile("761.93", ReaderIdentity.Public);
        Assert.Equal(["volA#d1", "volA#d2"], filed.Select(f => f.Id));
        Assert.Equal(new FiledNumber("761.93/7–1345", "Political relations between states: USSR – China, 13 July 1945"), Assert.Single(filed[0].Numbers));
    }

    [Fact]
    public void A_file_prefix_with_a_hyphen_finds_numbers_printed_with_an_en_dash()
    {
        Store(_archive, "volA", Make("volA", 1, "Dated") with { FileNumbers = ["761.93/7–1345"] });
        Assert.Equal(["volA#d1"], _archive.DocumentsInFile("761.93/7-13", ReaderIdentity.Public).Select(f => f.Id));
    }

    // ---- graph ------------------------------------------------------------------------------------------------

    [Fact]
    public void The_json_graph_holds_who_wrote_to_whom_and_what_cites_what_for_the_reader()
    {
        StoreChain(middleWithheld: true);
        var json = System.Text.Json.JsonDocument.Parse(_archive.ExportGraph(ReaderIdentity.Public, "json")).RootElement;
        var edges = json.GetProperty("edges").EnumerateArray()
            .Select(e => $"{e.GetProperty("kind").GetString()} {e.GetProperty("source").GetString()} -> {e.GetProperty("target").GetString()} x{e.GetProperty("count").GetInt32()}")
            .ToList();
        Assert.Equal(
            [
                "wrote-to party:the ambassador in the united kingdom (winant) -> party:the secretary of state x1",
                "wrote-to party:the secretary of state -> party:the ambassador in the soviet union (harriman) x2",
            ],
            edges);
    }

    [Fact]
    public void The_graphml_graph_is_directed_and_names_its_nodes()
    {
        StoreChain(middleWithheld: false);
        var xml = System.Xml.Linq.XDocument.Parse(_archive.ExportGraph(ReaderIdentity.Public, "graphml"));
        System.Xml.Linq.XNamespace g = "http://graphml.graphdrawing.org/xmlns";
        var graph = xml.Root!.Element(g + "graph")!;
        Assert.Equal("directed", graph.Attribute("edgedefault")!.Value);
        Assert.Equal(["volA#d2 volA#d1", "volA#d3 volA#d2"],
            graph.Elements(g + "edge").Where(e => e.Elements(g + "data").Any(d => d.Value == "cites"))
                .Select(e => e.Attribute("source")!.Value + " " + e.Attribute("target")!.Value));
    }

    [Fact]
    public void An_unknown_graph_format_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => _archive.ExportGraph(ReaderIdentity.Public, "dot"));
        Assert.StartsWith("unknown graph format “dot” (use graphml or json)", e.Message);
    }
}

using Chancery.Core.Access;
using Chancery.Core.Documents;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>
/// The archive contract: every backend runs these same tests with the same expected values.
/// </summary>
public abstract class ArchiveContractTests : IDisposable
{
    protected abstract IArchive Archive { get; }

    public abstract void Dispose();

    /// <summary>Runs SQL on the backend's own database behind the archive's back, as someone tampering with it would.</summary>
    protected abstract void Sql(string sql);

    [Fact]
    public void Ingested_volume_is_listed_with_its_count_and_date_range()
    {
        Store(Archive, "volA", Make("volA", 1, "First"), Make("volA", 2, "Second"));
        var v = Assert.Single(Archive.ListVolumes(ReaderIdentity.Public));
        Assert.Equal(new VolumeSummary("volA", "Test volume volA", 2, "1945-07-11", "1945-07-12"), v);
    }

    [Fact]
    public void Reingest_replaces_the_whole_volume()
    {
        Store(Archive, "volA", Make("volA", 1, "First"), Make("volA", 2, "Second"), Make("volA", 3, "Third"));
        Store(Archive, "volA", Make("volA", 1, "First again"));
        Assert.Equal(1, Archive.ListVolumes(ReaderIdentity.Public).Single().DocumentCount);
        Assert.Equal("First again", Archive.GetDocument("volA#d1", ReaderIdentity.Public, "test")!.Document.Title);
        Assert.Null(Archive.GetDocument("volA#d2", ReaderIdentity.Public, "test"));
    }

    [Fact]
    public void A_failing_ingest_leaves_the_previous_version()
    {
        Store(Archive, "volA", Make("volA", 1, "Kept"));
        IEnumerable<Document> Failing()
        {
            yield return Make("volA", 1, "Replacement");
            throw new InvalidOperationException("reader failed half-way");
        }
        Assert.Throws<InvalidOperationException>(() => Archive.IngestVolume(Failing(), () => VolumeOf("volA")));
        Assert.Equal("Kept", Archive.GetDocument("volA#d1", ReaderIdentity.Public, "test")!.Document.Title);
        Assert.True(Archive.Check().Ok);
    }

    [Fact]
    public void Url_form_of_an_id_reads_the_same_document()
    {
        Store(Archive, "volA", Make("volA", 7, "Seven"));
        Assert.Equal("volA#d7", Archive.GetDocument("volA/d7", ReaderIdentity.Public, "test")!.Document.Id);
    }

    [Fact]
    public void Withheld_document_is_invisible_to_the_public_exactly_like_a_missing_one()
    {
        var secret = Withheld(Make("volA", 1, "Secret telegram", "canary-alpha"), ClassificationLevel.TopSecret, "PERSONAL-FOR");
        Store(Archive, "volA", secret, Make("volA", 2, "Open"));
        Assert.Null(Archive.GetDocument("volA#d1", ReaderIdentity.Public, "test"));
        Assert.Null(Archive.GetDocument("volA#d99", ReaderIdentity.Public, "test"));
        Assert.Equal(1, Archive.ListVolumes(ReaderIdentity.Public).Single().DocumentCount);
        Assert.DoesNotContain(Archive.GetVolume("volA", ReaderIdentity.Public)!.Contents, e => e.DocumentId == "volA#d1");
    }

    [Theory]
    [InlineData(ClassificationLevel.TopSecret, "PERSONAL-FOR", true)]
    [InlineData(ClassificationLevel.TopSecret, "NODIS", false)]
    [InlineData(ClassificationLevel.Secret, "PERSONAL-FOR", false)]
    public void Named_reader_needs_level_and_every_control(ClassificationLevel level, string control, bool sees)
    {
        Store(Archive, "volA", Withheld(Make("volA", 1, "Secret telegram"), ClassificationLevel.TopSecret, "PERSONAL-FOR"));
        var reader = User("u", level, control).Identity;
        Assert.Equal(sees, Archive.GetDocument("volA#d1", reader, "test") is not null);
        Assert.Equal(sees ? 1 : 0, Archive.ListVolumes(reader).Single().DocumentCount);
    }

    [Fact]
    public void Release_with_excision_shows_the_public_a_marker_and_the_cleared_reader_the_marked_text()
    {
        var d = Withheld(Make("volA", 1, "Telegram", "First paragraph.", new string('x', 150) + " canary-bravo", "Third."), ClassificationLevel.Secret);
        Store(Archive, "volA", d);
        var reviewer = User("rev", ClassificationLevel.TopSecret);
        Archive.AddUser(reviewer);
        var record = Archive.Review(new ReviewDecision("volA#d1", ReviewAction.Release, [new ExciseSpan(2)], "sources"), reviewer);
        Assert.NotNull(record);

        var pub = Archive.GetDocument("volA#d1", ReaderIdentity.Public, "test")!;
        Assert.Equal(ReleaseState.ReleasedWithExcisions, pub.Release);
        Assert.False(pub.IsOriginal);
        Assert.Equal(["paragraph", "excision", "paragraph"], pub.Document.Body.Select(Kind));
        Assert.Equal("[1 paragraph (3 lines) not declassified]", ((ExcisionBlock)pub.Document.Body[1]).Excision.Text);
        Assert.DoesNotContain("canary-bravo", Core.Export.DocumentJson.Serialize(pub.Document));

        var cleared = Archive.GetDocument("volA#d1", reviewer.Identity, "test")!;
        Assert.True(cleared.IsOriginal);
        Assert.True(((Paragraph)cleared.Document.Body[1]).Excised);
        Assert.Contains("canary-bravo", ((Paragraph)cleared.Document.Body[1]).Text);
    }

    [Fact]
    public void Reviewer_without_clearance_learns_nothing()
    {
        Store(Archive, "volA", Withheld(Make("volA", 1, "Telegram", "text"), ClassificationLevel.TopSecret, "NODIS"));
        var reviewer = User("rev", ClassificationLevel.TopSecret);
        Assert.Null(Archive.Review(new ReviewDecision("volA#d1", ReviewAction.Release, [], "r"), reviewer));
        Assert.Null(Archive.GetDocument("volA#d1", ReaderIdentity.Public, "test"));
    }

    [Fact]
    public void Review_outlives_reingest_of_the_volume()
    {
        var d = Withheld(Make("volA", 1, "Telegram", "text"), ClassificationLevel.Secret);
        Store(Archive, "volA", d);
        Archive.Review(new ReviewDecision("volA#d1", ReviewAction.Release, [], "declassified"), User("rev", ClassificationLevel.Secret));
        Store(Archive, "volA", d);
        Assert.NotNull(Archive.GetDocument("volA#d1", ReaderIdentity.Public, "test"));
    }

    [Fact]
    public void Reads_of_withheld_documents_are_audited_and_the_chain_verifies()
    {
        Store(Archive, "volA", Withheld(Make("volA", 1, "Telegram", "text"), ClassificationLevel.Secret), Make("volA", 2, "Open"));
        var reader = User("reader", ClassificationLevel.Secret);
        Archive.AddUser(reader);
        Archive.GetDocument("volA#d1", reader.Identity, "show");
        Archive.GetDocument("volA#d2", reader.Identity, "show");
        var entries = Archive.ListAudit("reader", null, 100);
        var read = Assert.Single(entries);
        Assert.Equal(("read", "volA#d1", "show"), (read.Action, read.DocumentId, read.Surface));
        var v = Archive.VerifyAudit();
        Assert.True(v.Ok, v.Problem);
        Assert.Equal(2, v.Entries);
    }

    /// <summary>A user with <paramref name="n"/> audited reads of a withheld document: audit lines 2 to n + 1.</summary>
    protected void AuditLines(int n)
    {
        var u = User("u", ClassificationLevel.Secret);
        Archive.AddUser(u);
        Store(Archive, "volA", Withheld(Make("volA", 1, "T", "x"), ClassificationLevel.Secret));
        for (var i = 0; i < n; i++)
        {
            Archive.GetDocument("volA#d1", u.Identity, "show");
        }
    }

    [Fact]
    public void Audit_verify_passes_on_an_untouched_trail()
    {
        AuditLines(3);
        Assert.Equal(new AuditVerification(true, 4, null), Archive.VerifyAudit());
    }

    [Fact]
    public void Audit_verify_detects_an_edited_line()
    {
        AuditLines(3);
        Sql("UPDATE audit SET detail = 'nothing to see' WHERE seq = 2");
        Assert.Equal(new AuditVerification(false, 4, "line 2 was changed after it was written"), Archive.VerifyAudit());
    }

    [Fact]
    public void Audit_verify_detects_a_deleted_line()
    {
        AuditLines(3);
        Sql("DELETE FROM audit WHERE seq = 2");
        Assert.Equal(new AuditVerification(false, 3, "line 2 is missing (found 3 in its place): a line was deleted or reordered"), Archive.VerifyAudit());
    }

    [Fact]
    public void Audit_verify_detects_reordered_lines()
    {
        AuditLines(3);
        // lines 2 and 3 trade places: each keeps its own content and hashes, only the order changes
        Sql("UPDATE audit SET seq = -2 WHERE seq = 2");
        Sql("UPDATE audit SET seq = 2 WHERE seq = 3");
        Sql("UPDATE audit SET seq = 3 WHERE seq = -2");
        Assert.Equal(new AuditVerification(false, 4, "line 2 does not follow line 1: a line was deleted, inserted or reordered"), Archive.VerifyAudit());
    }

    [Fact]
    public void Audit_verify_detects_a_line_renumbered_to_hide_a_deletion()
    {
        AuditLines(3);
        // the deleted line's successors renumbered so the sequence has no gap: the chain still breaks
        Sql("DELETE FROM audit WHERE seq = 2");
        Sql("UPDATE audit SET seq = 2 WHERE seq = 3");
        Sql("UPDATE audit SET seq = 3 WHERE seq = 4");
        Assert.Equal(new AuditVerification(false, 3, "line 2 does not follow line 1: a line was deleted, inserted or reordered"), Archive.VerifyAudit());
    }

    [Fact]
    public void Users_are_added_listed_and_removed()
    {
        Archive.AddUser(User("b", ClassificationLevel.Secret, "NODIS"));
        Archive.AddUser(User("a", ClassificationLevel.Confidential));
        Assert.Equal(["a", "b"], Archive.ListUsers().Select(u => u.Name));
        Assert.Equal(["NODIS"], Archive.GetUser("b")!.Controls);
        Assert.Throws<ArchiveException>(() => Archive.AddUser(User("a", ClassificationLevel.Secret)));
        Assert.True(Archive.RemoveUser("a"));
        Assert.False(Archive.RemoveUser("a"));
    }

    [Fact]
    public void Bearer_token_finds_its_user_and_nothing_else_does()
    {
        Archive.AddUser(User("a", ClassificationLevel.Secret));
        var token = Archive.IssueToken("a");
        Assert.Equal("a", Archive.FindUserByToken(token)!.Name);
        Assert.Null(Archive.FindUserByToken(token + "x"));
    }

    [Fact]
    public void Neighbours_skip_documents_the_reader_may_not_see()
    {
        Store(Archive, "volA", Make("volA", 1, "One"), Withheld(Make("volA", 2, "Two"), ClassificationLevel.Secret), Make("volA", 3, "Three"));
        Assert.Equal(("volA#d1", (string?)null), Archive.GetNeighbours("volA#d3", ReaderIdentity.Public) is var (p, n) ? (p, n) : default);
        Assert.Equal(((string?)null, "volA#d3"), Archive.GetNeighbours("volA#d1", ReaderIdentity.Public));
    }

    [Fact]
    public void Check_passes_on_a_fresh_archive_with_volumes()
    {
        Store(Archive, "volA", Make("volA", 1, "One"));
        var report = Archive.Check();
        Assert.True(report.Ok, string.Join("; ", report.Problems));
        Assert.Equal((1, 1), (report.Volumes, report.Documents));
    }

    private static string Kind(Block b) => b switch
    {
        Paragraph => "paragraph",
        ExcisionBlock => "excision",
        PageBreak => "pageBreak",
        _ => "?",
    };
}

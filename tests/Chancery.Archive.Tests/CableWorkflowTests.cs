using Chancery.Archive.Cables;
using Chancery.Core.Access;
using Chancery.Core.Cables;
using Microsoft.Data.Sqlite;

namespace Chancery.Archive.Tests;

/// <summary>Drafting, clearance, release, sending, delivery, replies, saved searches and editions, each on a fresh archive.</summary>
public sealed class CableWorkflowTests : IDisposable
{
    private static readonly DateTimeOffset July13 = new(1945, 7, 13, 14, 0, 0, CableWorld.Moscow);

    private readonly CableWorld _world = new CableWorld().Staffed();

    private ICableOffice Office => _world.Office;

    public void Dispose() => _world.Dispose();

    private static DraftContent Secret(string subject = "Soong–Stalin conversations", Precedence precedence = Precedence.Routine, params Addressee[] to) => new()
    {
        FromPost = "moscow",
        Action = to.Length == 0 ? [Addressee.Post("state")] : to,
        Classification = ClassificationLevel.Secret,
        Precedence = precedence,
        Subject = subject,
        SubjectCode = "761.93",
        Body = ["Soong saw Stalin and Molotov again last night."],
        RequiredClearances = ["POL"],
    };

    private CableDraft Drafted(DraftContent? content = null) => Office.CreateDraft(content ?? Secret(), CableWorld.Page);

    private CableDraft Released(DraftContent? content = null)
    {
        var d = Drafted(content);
        if (d.Clearances.Count > 0)
        {
            Office.Clear(d.Id, "POL", CableWorld.Kennan);
        }
        return Office.Release(d.Id, CableWorld.Harriman);
    }

    private Telegram Sent(DraftContent? content = null) => Office.Send(Released(content).Id, CableWorld.Clerk, new SendOptions(At: July13));

    private void AddUser(string name, ClassificationLevel level, params string[] controls) =>
        _world.Archive.AddUser(new UserAccount(name, level, controls, DateTimeOffset.UnixEpoch));

    private static ReaderIdentity Identity(string name, ClassificationLevel level) => new(name, false, level, new HashSet<string>());

    // ---- drafts and clearance ----------------------------------------------------------------------------------

    [Fact]
    public void A_draft_is_hidden_from_a_user_who_does_not_act_on_it()
    {
        Assert.Null(Office.GetDraft(Drafted().Id, CableWorld.Dunn));
    }

    [Fact]
    public void A_draft_is_visible_to_the_clearer_of_its_office()
    {
        Assert.NotNull(Office.GetDraft(Drafted().Id, CableWorld.Kennan));
    }

    [Fact]
    public void A_draft_is_hidden_from_the_communications_clerk_until_released()
    {
        Assert.Null(Office.GetDraft(Drafted().Id, CableWorld.Clerk));
    }

    [Fact]
    public void A_draft_lists_for_its_drafter()
    {
        var d = Drafted();
        Assert.Equal([d.Id], Office.ListDrafts(CableWorld.Page).Select(x => x.Id).ToList());
    }

    [Fact]
    public void A_draft_cannot_be_released_before_its_offices_clear_it()
    {
        var d = Drafted();
        var e = Assert.Throws<ArchiveException>(() => Office.Release(d.Id, CableWorld.Harriman));
        Assert.Equal($"draft {d.Id} is not cleared by POL yet", e.Message);
    }

    [Fact]
    public void A_clearance_records_who_cleared_and_when()
    {
        var d = Drafted();
        _world.Clock.Now = new DateTimeOffset(1945, 7, 13, 10, 0, 0, CableWorld.Moscow);
        var cleared = Office.Clear(d.Id, "POL", CableWorld.Kennan, "agree");
        Assert.Equal(new DraftClearance("POL", "kennan", new DateTimeOffset(1945, 7, 13, 7, 0, 0, TimeSpan.Zero), "agree"), cleared.Clearances.Single());
    }

    [Fact]
    public void A_user_who_is_not_the_office_clearer_cannot_clear()
    {
        var d = Drafted();
        var e = Assert.Throws<ArchiveException>(() => Office.Clear(d.Id, "POL", CableWorld.Dunn));
        Assert.Equal($"no draft {d.Id} that you may see", e.Message);
    }

    [Fact]
    public void Revising_a_draft_starts_its_clearances_over()
    {
        var d = Drafted();
        Office.Clear(d.Id, "POL", CableWorld.Kennan);
        var revised = Office.UpdateDraft(d.Id, Secret("Revised subject"), CableWorld.Page);
        Assert.Equal(("Revised subject", (string?)null), (revised.Content.Subject, revised.Clearances.Single().ClearedBy));
    }

    [Fact]
    public void A_draft_needs_an_approver_cleared_for_its_marking()
    {
        AddUser("low", ClassificationLevel.Confidential);
        Office.AddMember(new PostMember("moscow", "low", CableRole.Approver), "admin");
        var d = Drafted();
        Office.Clear(d.Id, "POL", CableWorld.Kennan);
        var e = Assert.Throws<ArchiveException>(() => Office.Release(d.Id, Identity("low", ClassificationLevel.Confidential)));
        Assert.Equal($"no draft {d.Id} that you may see", e.Message);
    }

    [Fact]
    public void A_drafter_who_is_not_an_approver_is_told_why_they_cannot_release()
    {
        var d = Drafted();
        Office.Clear(d.Id, "POL", CableWorld.Kennan);
        var e = Assert.Throws<ArchiveException>(() => Office.Release(d.Id, CableWorld.Page));
        Assert.Equal($"page may not release draft {d.Id}: it needs an approver at moscow cleared for secret", e.Message);
    }

    [Fact]
    public void A_drafter_must_be_cleared_for_the_marking()
    {
        AddUser("low", ClassificationLevel.Confidential);
        Office.AddMember(new PostMember("moscow", "low", CableRole.Drafter), "admin");
        var e = Assert.Throws<ArchiveException>(() => Office.CreateDraft(Secret(), Identity("low", ClassificationLevel.Confidential)));
        Assert.Equal("low is not cleared for secret", e.Message);
    }

    [Fact]
    public void A_draft_to_an_unknown_post_is_refused()
    {
        var e = Assert.Throws<ArchiveException>(() => Drafted(Secret(to: Addressee.Post("nowhere"))));
        Assert.Equal("no post 'nowhere' (add one with `chancery posts add`)", e.Message);
    }

    [Fact]
    public void A_PERSONAL_FOR_draft_must_name_its_principals()
    {
        var e = Assert.Throws<ArchiveException>(() => Drafted(Secret() with { Captions = ["Personal for"] }));
        Assert.Equal("a PERSONAL-FOR telegram must name its principals (--for USER)", e.Message);
    }

    [Fact]
    public void A_draft_with_a_bad_subject_code_is_refused()
    {
        var e = Assert.Throws<ArchiveException>(() => Drafted(Secret() with { SubjectCode = "761" }));
        Assert.Equal("'761' is not a decimal subject code (e.g. 761.93)", e.Message);
    }

    [Fact]
    public void A_draft_cannot_be_sent_before_release()
    {
        var d = Drafted();
        var e = Assert.Throws<ArchiveException>(() => Office.Send(d.Id, CableWorld.Clerk));
        Assert.Equal($"draft {d.Id} is not released yet (an approver releases it with `chancery cable release {d.Id}`)", e.Message);
    }

    [Fact]
    public void A_released_draft_is_sent_once()
    {
        var d = Released();
        Office.Send(d.Id, CableWorld.Clerk, new SendOptions(At: July13));
        var e = Assert.Throws<ArchiveException>(() => Office.Send(d.Id, CableWorld.Clerk));
        Assert.Equal($"draft {d.Id} was sent already as MOSCOW 1", e.Message);
    }

    [Fact]
    public void A_clerk_not_cleared_for_the_level_cannot_transmit()
    {
        var d = Released();
        var e = Assert.Throws<ArchiveException>(() => Office.Send(d.Id, CableWorld.Clerk2));
        Assert.Equal($"no draft {d.Id} that you may see", e.Message);
    }

    // ---- numbering --------------------------------------------------------------------------------------------

    [Fact]
    public void Serials_run_without_gaps_from_one()
    {
        Assert.Equal([1L, 2L, 3L], new[] { Sent(), Sent(), Sent() }.Select(t => t.Number.Serial).ToList());
    }

    [Fact]
    public void A_failed_send_uses_no_serial()
    {
        var unreleased = Drafted();
        Assert.Throws<ArchiveException>(() => Office.Send(unreleased.Id, CableWorld.Clerk));
        Assert.Equal(1, Sent().Number.Serial);
    }

    [Fact]
    public void The_next_serial_cannot_go_back_below_a_used_one()
    {
        Office.SetNextSerial("moscow", 100, "admin");
        Sent();
        var e = Assert.Throws<ArchiveException>(() => Office.SetNextSerial("moscow", 100, "admin"));
        Assert.Equal("post moscow has already sent serial 100; the next serial must be above it", e.Message);
    }

    [Fact]
    public void A_telegram_is_filed_under_its_subject_code_and_send_date()
    {
        Assert.Equal("761.93/7–1345", Sent().FileNumber);
    }

    [Fact]
    public void A_route_that_is_not_set_up_is_refused()
    {
        var d = Released();
        var e = Assert.Throws<ArchiveException>(() => Office.Send(d.Id, CableWorld.Clerk, new SendOptions(CableChannel.Army)));
        Assert.Equal("post moscow has no Army route (set one with `chancery posts route moscow --channel Army --relay RELAY`)", e.Message);
    }

    [Fact]
    public void The_State_channel_needs_no_route()
    {
        Assert.Equal("Sent by Embassy Moscow, via State channels.", Sent().Route.SentBy);
    }

    // ---- delivery ---------------------------------------------------------------------------------------------

    [Fact]
    public void A_FLASH_overtakes_a_ROUTINE_backlog()
    {
        Sent(Secret("routine 1"));
        Sent(Secret("routine 2"));
        Sent(Secret("flash", Precedence.Flash));
        Office.DeliverPending(1);
        Assert.Equal(["flash"], Office.Inbox(CableWorld.Dunn).Select(e => e.Subject).ToList());
    }

    [Fact]
    public void Within_a_precedence_the_oldest_goes_first()
    {
        Sent(Secret("routine 1"));
        Sent(Secret("routine 2"));
        Office.DeliverPending(1);
        Assert.Equal(["routine 1"], Office.Inbox(CableWorld.Dunn).Select(e => e.Subject).ToList());
    }

    [Fact]
    public void A_delivery_gets_the_received_time()
    {
        Sent();
        _world.DeliverAll(new DateTimeOffset(1945, 7, 13, 21, 0, 0, CableWorld.Washington));
        Assert.Equal(new DateTimeOffset(1945, 7, 14, 1, 0, 0, TimeSpan.Zero), Office.Inbox(CableWorld.Dunn).Single().Received);
    }

    [Fact]
    public void A_redelivery_after_a_crash_changes_nothing()
    {
        var t = Sent();
        _world.DeliverAll(July13.AddHours(2));
        // the broker (here: the outbox table) hands the same message to the same post again
        using (var c = new SqliteConnection($"Data Source={_world.Archive.DatabasePath};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"INSERT INTO cable_deliveries(message_id, post, precedence, queued_at) VALUES('{t.MessageId}', 'state', 4, '1945')";
            cmd.ExecuteNonQuery();
        }
        _world.Clock.Now = July13.AddHours(5);
        Assert.Equal((1, 1, July13.AddHours(2).ToUniversalTime()),
            (Office.DeliverPending(), Office.Inbox(CableWorld.Dunn).Count, Office.Inbox(CableWorld.Dunn).Single().Received!.Value.ToUniversalTime()));
    }

    [Fact]
    public void An_acknowledged_send_survives_a_restart_before_delivery()
    {
        Sent();
        _world.Reopen();
        _world.DeliverAll(July13.AddHours(2));
        Assert.Equal(["MOSCOW 1"], Office.Inbox(CableWorld.Dunn).Select(e => e.Number.ToString()).ToList());
    }

    [Fact]
    public void A_secret_telegram_to_a_post_reaches_every_member_cleared_for_it()
    {
        AddUser("low", ClassificationLevel.Confidential);
        Office.AddMember(new PostMember("state", "low", CableRole.Drafter), "admin");
        var t = Sent();
        _world.DeliverAll(July13.AddHours(2));
        var readers = new[] { CableWorld.Byrnes, CableWorld.Dunn, CableWorld.Grew, CableWorld.Clerk, Identity("low", ClassificationLevel.Confidential) }
            .Where(u => Office.Read(t.Number, u, "test") is not null).Select(u => u.Name).ToList();
        Assert.Equal(["byrnes", "dunn", "grew", "clerk"], readers);
    }

    [Fact]
    public void A_NODIS_telegram_to_a_post_reaches_only_its_principals()
    {
        var t = Sent(Secret() with { Captions = ["NODIS"] });
        _world.DeliverAll(July13.AddHours(2));
        var readers = new[] { CableWorld.Byrnes, CableWorld.Dunn, CableWorld.Grew }
            .Where(u => Office.Read(t.Number, u, "test") is not null).Select(u => u.Name).ToList();
        Assert.Equal(["byrnes"], readers);
    }

    [Fact]
    public void A_distribution_list_reaches_every_post_on_it()
    {
        Office.DefineList("washington", [Addressee.Post("state"), Addressee.Individual("truman")], "admin");
        var t = Sent(Secret(to: Addressee.List("washington")));
        Assert.Equal(["state", "maproom"], t.Recipients.Select(r => r.Post).ToList());
    }

    [Fact]
    public void A_distribution_list_that_contains_itself_is_refused()
    {
        Office.DefineList("a", [Addressee.Post("state")], "admin");
        Office.DefineList("b", [Addressee.List("a")], "admin");
        var e = Assert.Throws<ArchiveException>(() => Office.DefineList("a", [Addressee.List("b")], "admin"));
        Assert.Equal("distribution list a contains itself", e.Message);
    }

    // ---- replies, saved searches, editions, review ----------------------------------------------------------

    [Fact]
    public void A_reply_is_a_draft_to_the_sender_citing_the_original()
    {
        var (_, _, seed) = _world.ReplaySeedTraffic();
        var reply = Office.Reply(seed.Number, CableWorld.Byrnes);
        Assert.Equal(("state", "user:harriman", "harriman", "MOSCOW 120756", "MOSCOW 120756", ClassificationLevel.TopSecret),
            (reply.Content.FromPost, string.Join(",", reply.Content.Action), string.Join(",", reply.Content.PersonalFor),
             string.Join(",", reply.Content.References), reply.Content.InReplyTo?.ToString(), reply.Content.Classification));
    }

    [Fact]
    public void The_thread_shows_the_reply_after_the_exchange()
    {
        var (_, _, seed) = _world.ReplaySeedTraffic();
        var reply = Office.Reply(seed.Number, CableWorld.Byrnes);
        Office.UpdateDraft(reply.Id, reply.Content with { Body = ["Your 120756 received. Agree."] }, CableWorld.Byrnes);
        Office.Release(reply.Id, CableWorld.Byrnes);
        Office.Send(reply.Id, CableWorld.Clerk, new SendOptions(At: new DateTimeOffset(1945, 7, 14, 9, 0, 0, CableWorld.Washington)));
        _world.DeliverAll(new DateTimeOffset(1945, 7, 14, 12, 0, 0, CableWorld.Washington));
        Assert.Equal(["MOSCOW 120015", "MOSCOW 120755", "MOSCOW 120756", "STATE 1"],
            Office.Thread(seed.Number, CableWorld.Byrnes).Select(e => e.Number.ToString()).ToList());
    }

    [Fact]
    public void The_Ambassador_receives_the_personal_reply()
    {
        var (_, _, seed) = _world.ReplaySeedTraffic();
        var reply = Office.Reply(seed.Number, CableWorld.Byrnes);
        Office.UpdateDraft(reply.Id, reply.Content with { Body = ["Agree."] }, CableWorld.Byrnes);
        Office.Release(reply.Id, CableWorld.Byrnes);
        Office.Send(reply.Id, CableWorld.Clerk, new SendOptions(At: new DateTimeOffset(1945, 7, 14, 9, 0, 0, CableWorld.Washington)));
        _world.DeliverAll(new DateTimeOffset(1945, 7, 14, 12, 0, 0, CableWorld.Washington));
        Assert.Equal(("STATE 1", ""), (string.Join(",", Office.Inbox(CableWorld.Harriman).Select(e => e.Number)),
            string.Join(",", Office.Inbox(CableWorld.Page).Select(e => e.Number))));
    }

    [Fact]
    public void A_saved_search_notifies_of_new_telegrams_the_owner_may_read()
    {
        Office.SaveSearch("dairen", "Dairen", CableWorld.Byrnes);
        _world.ReplaySeedTraffic();
        Assert.Equal(["MOSCOW 120756", "MOSCOW 120015"], Office.Notifications(CableWorld.Byrnes).Select(n => n.Number.ToString()).ToList());
    }

    [Fact]
    public void A_saved_search_never_notifies_of_a_telegram_the_owner_may_not_see()
    {
        Office.SaveSearch("dairen", "Dairen", CableWorld.Dunn);
        _world.ReplaySeedTraffic();
        Assert.Equal(["MOSCOW 120015"], Office.Notifications(CableWorld.Dunn).Select(n => n.Number.ToString()).ToList());
    }

    [Fact]
    public void Seen_notifications_drop_out_of_the_unseen_list()
    {
        Office.SaveSearch("dairen", "Dairen", CableWorld.Byrnes);
        _world.ReplaySeedTraffic();
        Office.MarkNotificationsSeen(CableWorld.Byrnes);
        Assert.Empty(Office.Notifications(CableWorld.Byrnes, unseenOnly: true));
    }

    [Fact]
    public void A_saved_search_with_a_bad_query_is_refused()
    {
        var e = Assert.Throws<ArchiveException>(() => Office.SaveSearch("x", "sender:moscow", CableWorld.Byrnes));
        Assert.Equal("cable query:1: unknown field 'sender' (use from, to, tag, code, precedence, caption, class)", e.Message);
    }

    [Fact]
    public void A_filed_telegram_is_selected_into_an_edition_volume_with_a_document_number()
    {
        var (_, _, seed) = _world.ReplaySeedTraffic();
        var id = Office.SelectForEdition(seed.Number, "frus1945Berlinv01", "578", CableWorld.Byrnes);
        var view = _world.Archive.GetDocument(id, CableWorld.Byrnes, "test")!;
        Assert.Equal(("frus1945Berlinv01#d578", "578", ReleaseState.Withheld, "761.93/7–1345"),
            (view.Document.Id, view.Document.Number, view.Release, view.Document.FileNumbers.Single()));
    }

    [Fact]
    public void A_review_releases_the_filed_telegram_to_the_public()
    {
        var (_, _, seed) = _world.ReplaySeedTraffic();
        var reviewer = new UserAccount("reviewer", ClassificationLevel.TopSecret, ["PERSONAL-FOR"], DateTimeOffset.UnixEpoch);
        _world.Archive.AddUser(reviewer);
        _world.Archive.Review(new ReviewDecision(seed.DocumentId, ReviewAction.Release, [], "declassified"), reviewer);
        var view = _world.Archive.GetDocument(seed.DocumentId, ReaderIdentity.Public, "test");
        Assert.Equal((ReleaseState.Released, 1), (view?.Release, _world.Archive.Search(new SearchRequest("\"Port Arthur\""), ReaderIdentity.Public, "test").Total));
    }

    [Fact]
    public void Reading_a_classified_telegram_is_audited()
    {
        var t = Sent();
        _world.DeliverAll(July13.AddHours(2));
        Office.Read(t.Number, CableWorld.Dunn, "web");
        var entry = _world.Archive.ListAudit("dunn", null, 10).Single();
        Assert.Equal(("cable read", t.DocumentId, "web", "MOSCOW 1: secret"), (entry.Action, entry.DocumentId, entry.Surface, entry.Detail));
    }
}

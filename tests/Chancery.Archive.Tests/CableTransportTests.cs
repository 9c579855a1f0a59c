using Chancery.Archive.Cables;
using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Archive.Tests.Infrastructure;
using Chancery.Core.Access;
using Chancery.Core.Cables;

namespace Chancery.Archive.Tests;

/// <summary>
/// Two archives on "two machines" (two temp folders) sharing one PostgreSQL transport: Embassy Moscow lives in A,
/// the Department in B. Each archive declares the other's post remote (or learns it from the first telegram).
/// </summary>
[Collection("postgres")]
public sealed class CableTransportTests : IDisposable
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);
    private static readonly ReaderIdentity Harriman = Id("harriman");
    private static readonly ReaderIdentity Page = Id("page");
    private static readonly ReaderIdentity Clerk = Id("clerk");
    private static readonly ReaderIdentity Byrnes = Id("byrnes");

    private readonly DirectoryInfo _folderA = Directory.CreateTempSubdirectory("chancery-transport-a-");
    private readonly DirectoryInfo _folderB = Directory.CreateTempSubdirectory("chancery-transport-b-");
    private readonly string _url;
    private readonly SqliteArchive _a;
    private readonly SqliteArchive _b;
    private readonly PostgresCableTransport _transport;

    public CableTransportTests(PostgresServer server)
    {
        _url = server.CreateDatabase("transport");
        _transport = new PostgresCableTransport(_url);
        _a = SqliteArchive.Open(_folderA.FullName);
        foreach (var u in new[] { Harriman, Page, Clerk })
        {
            _a.AddUser(new UserAccount(u.Name, u.Clearance, u.Controls.ToList(), DateTimeOffset.UnixEpoch));
        }
        _a.AddPost(new Post("moscow", "Embassy Moscow", "Moscow", "MOSCOW", Moscow), "admin");
        _a.AddRemotePost(new Post("state", "Department of State", "Washington", "STATE", TimeSpan.FromHours(-4)), _url, "admin");
        _a.AddMember(new PostMember("moscow", "harriman", CableRole.Approver), "admin");
        _a.AddMember(new PostMember("moscow", "page", CableRole.Drafter), "admin");
        _a.AddMember(new PostMember("moscow", "clerk", CableRole.CommunicationsClerk), "admin");

        // B does not know Moscow: the first telegram from there introduces it
        _b = SqliteArchive.Open(_folderB.FullName);
        _b.AddUser(new UserAccount(Byrnes.Name, Byrnes.Clearance, Byrnes.Controls.ToList(), DateTimeOffset.UnixEpoch));
        _b.AddPost(new Post("state", "Department of State", "Washington", "STATE", TimeSpan.FromHours(-4)), "admin");
        _b.AddMember(new PostMember("state", "byrnes", CableRole.Principal, Title: "the Secretary of State"), "admin");
    }

    public void Dispose()
    {
        _transport.Dispose();
        _a.Dispose();
        _b.Dispose();
        _folderA.Delete(recursive: true);
        _folderB.Delete(recursive: true);
    }

    private static ReaderIdentity Id(string name) => new(name, false, ClassificationLevel.TopSecret, new HashSet<string>(StringComparer.Ordinal));

    private Telegram SendToState(string subject, Precedence precedence = Precedence.Routine)
    {
        var draft = _a.CreateDraft(new DraftContent
        {
            FromPost = "moscow",
            Action = [Addressee.Post("state")],
            Classification = ClassificationLevel.Secret,
            Precedence = precedence,
            Subject = subject,
            SubjectCode = "761.93",
            Body = ["Soong outlined to Stalin the concessions he is authorized to make."],
            Signature = "Harriman",
        }, Page);
        _a.Release(draft.Id, Harriman);
        return _a.Send(draft.Id, Clerk);
    }

    private static void DeliverAll(SqliteArchive archive)
    {
        while (archive.DeliverPending() > 0)
        {
        }
        while (archive.FilePending() > 0)
        {
        }
    }

    private List<string> InboxAtState() => _b.Inbox(Byrnes).Select(e => e.Number.ToString()).ToList();

    [Fact]
    public void Sending_to_a_remote_post_writes_an_outbox_row_and_no_local_delivery()
    {
        SendToState("Soong–Stalin conversations");

        Assert.Equal((1, 0), (_a.OutboxCount(), _a.QueueStatus().TotalPending));
    }

    [Fact]
    public void A_telegram_sent_in_one_archive_arrives_once_in_the_other_archives_inbox()
    {
        var sent = SendToState("Soong–Stalin conversations");

        var relayA = _transport.Relay(_a);
        var relayB = _transport.Relay(_b);
        DeliverAll(_b);

        Assert.Equal((1, 0, 0), (relayA.Pushed, relayA.Received, relayA.Parked.Count));
        Assert.Equal((0, 1, 0), (relayB.Pushed, relayB.Received, relayB.Parked.Count));
        Assert.Equal(["MOSCOW 1"], InboxAtState());
        Assert.Equal(sent.Number, _b.Read(sent.Number, Byrnes, "cable")!.Telegram.Number);
        Assert.Equal((0, 0L), (_a.OutboxCount(), _transport.Count()));
    }

    [Fact]
    public void The_receiving_archive_learns_the_sending_post_as_remote()
    {
        SendToState("Soong–Stalin conversations");
        _transport.Relay(_a);
        _transport.Relay(_b);

        Assert.Equal(new Post("moscow", "Embassy Moscow", "Moscow", "MOSCOW", Moscow), _b.GetPost("moscow"));
        Assert.Equal(_url, _b.RemotePosts()["moscow"]);
        Assert.Equal(["state"], _b.LocalPostIds());
    }

    [Fact]
    public void Running_the_relays_again_carries_nothing_more()
    {
        SendToState("Soong–Stalin conversations");
        _transport.Relay(_a);
        _transport.Relay(_b);
        DeliverAll(_b);

        var again = (_transport.Relay(_a).Moved, _transport.Relay(_b).Moved);
        DeliverAll(_b);

        Assert.Equal((false, false), again);
        Assert.Equal(["MOSCOW 1"], InboxAtState());
    }

    [Fact]
    public void A_crash_after_the_archive_commit_leaves_the_row_and_its_replay_delivers_once()
    {
        SendToState("Soong–Stalin conversations");
        _transport.Relay(_a);

        // the receiver commits its archive, then dies before deleting the row in PostgreSQL
        Assert.Throws<IOException>(() => _transport.Take(_b.LocalPostIds(), 10, rows =>
        {
            _b.ReceiveTransported(_url, rows);
            throw new IOException("killed before the transport commit");
        }));
        DeliverAll(_b);
        var rowsLeft = _transport.Count("state");
        var replay = _transport.Relay(_b);
        DeliverAll(_b);

        Assert.Equal(1L, rowsLeft);
        Assert.Equal((0, 1), (replay.Pushed, replay.Received));
        Assert.Equal(["MOSCOW 1"], InboxAtState());
        Assert.Equal(["state"], _b.Read(new CableNumber("MOSCOW", 1), Byrnes, "cable")!.Receipts.Select(r => r.Post));
    }

    [Fact]
    public void A_row_replayed_after_delivery_queues_nothing()
    {
        SendToState("Soong–Stalin conversations");
        var rows = _a.PendingOutbox(_url);
        _transport.Relay(_a);
        _transport.Relay(_b);
        DeliverAll(_b);

        // the sender died after the transport commit and before forgetting its outbox: the same rows go again
        _transport.Push(rows);
        var queued = 0;
        _transport.Take(_b.LocalPostIds(), 10, taken => queued = _b.ReceiveTransported(_url, taken).Queued);
        DeliverAll(_b);

        Assert.Equal(0, queued);
        Assert.Equal(["MOSCOW 1"], InboxAtState());
    }

    [Fact]
    public void Pushing_the_same_outbox_rows_twice_keeps_one_transport_row()
    {
        SendToState("Soong–Stalin conversations");
        var rows = _a.PendingOutbox(_url);

        var first = _transport.Push(rows);
        var second = _transport.Push(rows);

        Assert.Equal((1, 0, 1L), (first, second, _transport.Count()));
    }

    [Fact]
    public void The_receiver_takes_FLASH_before_ROUTINE()
    {
        SendToState("routine report", Precedence.Routine);
        SendToState("flash report", Precedence.Flash);
        _transport.Relay(_a);

        var order = new List<string>();
        while (_transport.Take(_b.LocalPostIds(), 1, rows => order.AddRange(rows.Select(r => r.Precedence + " " + r.Post))) > 0)
        {
        }

        Assert.Equal(["Flash state", "Routine state"], order);
    }

    [Fact]
    public void A_transport_that_is_not_postgres_is_refused_in_one_line()
    {
        var e = Assert.Throws<ArchiveException>(() =>
            _a.AddRemotePost(new Post("london", "Embassy London", "London", "LONDON", TimeSpan.Zero), "amqp://broker/cables", "admin"));

        Assert.Equal("transport 'amqp://broker/cables' is not one Chancery knows: give a postgres://user@host:port/database URL", e.Message);
        Assert.Null(_a.GetPost("london"));
    }

    [Fact]
    public void An_unreachable_transport_is_a_one_line_error_and_the_outbox_keeps_its_rows()
    {
        SendToState("Soong–Stalin conversations");
        using var nowhere = new PostgresCableTransport("postgres://postgres@127.0.0.1:1/chancery?connect_timeout=2");

        var e = Assert.Throws<ArchiveException>(() => nowhere.Relay(_a));

        Assert.StartsWith("cable transport postgres://postgres@127.0.0.1:1/chancery?connect_timeout=2: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(1, _a.OutboxCount());
    }

    // the sender's MOSCOW 1 again under another message id: B holds MOSCOW 1 already and must refuse it
    private TransportedTelegram ForgedFirst(TransportedTelegram original) =>
        original with { MessageId = "forged", Json = original.Json.Replace(original.MessageId, "forged", StringComparison.Ordinal), Precedence = Precedence.Flash };

    private TransportedTelegram DeliverFirstThenForgeIt()
    {
        SendToState("Soong–Stalin conversations");
        var first = _a.PendingOutbox(_url).Single();
        _transport.Relay(_a);
        _transport.Relay(_b);
        DeliverAll(_b);
        var forged = ForgedFirst(first);
        _transport.Push([forged]);
        return forged;
    }

    [Fact]
    public void A_telegram_refused_on_arrival_is_parked_and_the_traffic_behind_it_arrives()
    {
        DeliverFirstThenForgeIt();
        SendToState("Sino-Soviet treaty draft");
        _transport.Relay(_a);

        var pass = _transport.Relay(_b);
        DeliverAll(_b);

        Assert.Equal((1, 1, 0L), (pass.Received, pass.Parked.Count, _transport.Count()));
        Assert.Equal(["MOSCOW 2", "MOSCOW 1"], InboxAtState());
    }

    [Fact]
    public void A_parked_telegram_is_kept_with_its_number_post_and_reason()
    {
        DeliverFirstThenForgeIt();

        _transport.Relay(_b);

        var parked = Assert.Single(_b.ParkedTelegrams());
        Assert.Equal(("forged", "state", "MOSCOW 1", "telegram MOSCOW 1 arrived as message forged, but this archive holds another telegram under that number"),
            (parked.MessageId, parked.Post, parked.Number, parked.Reason));
    }

    [Fact]
    public void A_parked_telegram_counts_in_the_queue_status_without_unsettling_it()
    {
        DeliverFirstThenForgeIt();

        _transport.Relay(_b);
        DeliverAll(_b);

        var status = _b.QueueStatus();
        Assert.Equal((1, true), (status.Parked, status.Settled));
    }

    [Fact]
    public void A_parked_telegram_pushed_again_is_parked_once()
    {
        var forged = DeliverFirstThenForgeIt();
        _transport.Relay(_b);

        _transport.Push([forged]);
        var again = _transport.Relay(_b);

        Assert.Equal((1, 1), (again.Parked.Count, _b.ParkedTelegrams().Count));
    }

    [Fact]
    public void An_outbox_row_not_yet_relayed_keeps_the_sending_office_unsettled()
    {
        SendToState("Soong–Stalin conversations");
        DeliverAll(_a);

        var status = _a.QueueStatus();

        Assert.Equal((1, false), (status.Outbox, status.Settled));
    }

    [Fact]
    public void The_sending_office_settles_once_the_relay_carried_its_outbox()
    {
        SendToState("Soong–Stalin conversations");
        DeliverAll(_a);

        _transport.Relay(_a);

        Assert.True(_a.QueueStatus().Settled);
    }

    [Fact]
    public void A_push_wakes_a_receiver_waiting_for_traffic()
    {
        using var receiver = new PostgresCableTransport(_url);
        receiver.WaitForTraffic(TimeSpan.Zero); // starts listening
        SendToState("Soong–Stalin conversations");

        _transport.Relay(_a);

        Assert.True(receiver.WaitForTraffic(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_receiver_waiting_without_traffic_wakes_at_its_timeout()
    {
        using var receiver = new PostgresCableTransport(_url);
        receiver.WaitForTraffic(TimeSpan.Zero);

        Assert.False(receiver.WaitForTraffic(TimeSpan.FromMilliseconds(100)));
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chancery.Archive.Cables;
using Chancery.Core.Access;
using Chancery.Core.Cables;
using Chancery.Core.Documents;
using Chancery.Core.Export;
using Microsoft.Data.Sqlite;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// The cable office over the embedded archive. Every write of this archive object goes through one group-commit
/// writer: concurrent calls queue, the first caller commits everyone's work in one transaction (one fsync for all)
/// with a savepoint per call, and each call returns only after that commit. Delivery is an outbox/inbox pair of
/// tables (<c>cable_deliveries</c> → <c>cable_receipts</c>) in the same database, so posts in one archive deliver
/// in-process and a crash at any point leaves either the pending delivery or the receipt, never both and never neither.
/// </summary>
public sealed partial class SqliteArchive : ICableOffice
{
    /// <summary>The cable office's tables; the lead runs this at open, until then each call creates them once.</summary>
    internal const string CablesSchema = """
        CREATE TABLE IF NOT EXISTS cable_posts(
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            place TEXT NOT NULL,
            prefix TEXT NOT NULL UNIQUE,
            utc_offset INTEGER NOT NULL,
            next_serial INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS cable_members(
            post TEXT NOT NULL REFERENCES cable_posts(id),
            user TEXT NOT NULL,
            role TEXT NOT NULL,
            office TEXT,
            title TEXT,
            PRIMARY KEY(post, user, role));
        CREATE INDEX IF NOT EXISTS cable_members_user ON cable_members(user);
        CREATE TABLE IF NOT EXISTS cable_routes(
            post TEXT NOT NULL REFERENCES cable_posts(id),
            channel TEXT NOT NULL,
            relay TEXT NOT NULL,
            PRIMARY KEY(post, channel));
        CREATE TABLE IF NOT EXISTS cable_designees(principal TEXT NOT NULL, designee TEXT NOT NULL, PRIMARY KEY(principal, designee));
        CREATE TABLE IF NOT EXISTS cable_lists(name TEXT PRIMARY KEY, members TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS cable_drafts(
            id INTEGER PRIMARY KEY,
            post TEXT NOT NULL,
            drafter TEXT NOT NULL,
            status TEXT NOT NULL,
            created TEXT NOT NULL,
            json TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS cable_drafts_status ON cable_drafts(status, post);
        CREATE TABLE IF NOT EXISTS cable_messages(
            id TEXT PRIMARY KEY,
            post TEXT NOT NULL,
            serial INTEGER NOT NULL,
            number TEXT NOT NULL UNIQUE,
            sent_at TEXT NOT NULL,
            sent_local TEXT NOT NULL,
            precedence INTEGER NOT NULL,
            level INTEGER NOT NULL,
            captions TEXT NOT NULL,
            principals TEXT NOT NULL,
            from_name TEXT NOT NULL,
            subject TEXT NOT NULL,
            document_id TEXT NOT NULL,
            json TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            filed INTEGER NOT NULL DEFAULT 0,
            UNIQUE(post, serial));
        CREATE INDEX IF NOT EXISTS cable_messages_unfiled ON cable_messages(filed) WHERE filed = 0;
        CREATE TABLE IF NOT EXISTS cable_refs(message_id TEXT NOT NULL, cited TEXT NOT NULL, PRIMARY KEY(message_id, cited)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS cable_refs_cited ON cable_refs(cited);
        CREATE TABLE IF NOT EXISTS cable_deliveries(
            seq INTEGER PRIMARY KEY,
            message_id TEXT NOT NULL,
            post TEXT NOT NULL,
            precedence INTEGER NOT NULL,
            queued_at TEXT NOT NULL,
            UNIQUE(message_id, post));
        CREATE INDEX IF NOT EXISTS cable_deliveries_order ON cable_deliveries(precedence, seq);
        CREATE TABLE IF NOT EXISTS cable_receipts(
            message_id TEXT NOT NULL,
            post TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY(message_id, post)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS cable_readers(
            user TEXT NOT NULL,
            message_id TEXT NOT NULL,
            box TEXT NOT NULL,
            post TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY(user, message_id, box)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS cable_readers_box ON cable_readers(user, box, at);
        CREATE TABLE IF NOT EXISTS cable_searches(
            id INTEGER PRIMARY KEY,
            user TEXT NOT NULL,
            name TEXT NOT NULL,
            query TEXT NOT NULL,
            created TEXT NOT NULL,
            UNIQUE(user, name));
        CREATE TABLE IF NOT EXISTS cable_notifications(
            id INTEGER PRIMARY KEY,
            user TEXT NOT NULL,
            search INTEGER NOT NULL,
            message_id TEXT NOT NULL,
            at TEXT NOT NULL,
            seen INTEGER NOT NULL DEFAULT 0,
            UNIQUE(search, message_id));
        CREATE INDEX IF NOT EXISTS cable_notifications_user ON cable_notifications(user, id);
        CREATE TABLE IF NOT EXISTS cable_stale_volumes(volume TEXT PRIMARY KEY, sha256 TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS cable_remote_posts(post TEXT PRIMARY KEY REFERENCES cable_posts(id), transport TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS cable_outbox(
            seq INTEGER PRIMARY KEY,
            message_id TEXT NOT NULL,
            post TEXT NOT NULL,
            transport TEXT NOT NULL,
            precedence INTEGER NOT NULL,
            queued_at TEXT NOT NULL,
            UNIQUE(message_id, post));
        CREATE INDEX IF NOT EXISTS cable_outbox_order ON cable_outbox(transport, precedence, seq);
        CREATE TABLE IF NOT EXISTS cable_parked(
            message_id TEXT NOT NULL,
            post TEXT NOT NULL,
            transport TEXT NOT NULL,
            number TEXT,
            precedence INTEGER NOT NULL,
            json TEXT NOT NULL,
            reason TEXT NOT NULL,
            parked_at TEXT NOT NULL,
            PRIMARY KEY(message_id, post)) WITHOUT ROWID;
        """;

    private const string Received = "received";
    private const string SentBox = "sent";
    private const int MaxThreadSize = 500;
    private const int MaxListDepth = 8;

    // Once per archive object: CREATE TABLE IF NOT EXISTS is cheap but takes the write lock.
    private int _cablesSchemaReady;
    private CableWriter? _cableWriter;
    private TimeProvider _cableClock = TimeProvider.System;

    /// <inheritdoc />
    public TimeProvider CableClock
    {
        get => Volatile.Read(ref _cableClock);
        set => Volatile.Write(ref _cableClock, value ?? throw new ArgumentNullException(nameof(value)));
    }

    private CableWriter Writer
    {
        get
        {
            EnsureCablesSchema();
            return LazyInitializer.EnsureInitialized(ref _cableWriter, () => new CableWriter(this));
        }
    }

    /// <summary>
    /// Lets the full-text index catch up with what was filed and closes the cable writer's kept connection (called
    /// when the archive is disposed).
    /// </summary>
    private void CloseCableWriter()
    {
        WaitForSearchFeed();
        Volatile.Read(ref _cableWriter)?.Close();
    }

    private void EnsureCablesSchema()
    {
        if (Volatile.Read(ref _cablesSchemaReady) == 1)
        {
            return;
        }
        using (var c = Connect())
        {
            Exec(c, null, CablesSchema);
        }
        Volatile.Write(ref _cablesSchemaReady, 1);
    }

    /// <summary>A read connection (no transaction) with its own statement cache.</summary>
    private CableDb CableRead()
    {
        EnsureCablesSchema();
        return new CableDb(Connect(), null, ownsConnection: true);
    }

    private DateTimeOffset Now(DateTimeOffset? at) => at ?? CableClock.GetUtcNow();

    // ---- posts, people, routes ---------------------------------------------------------------------------------

    /// <inheritdoc />
    public void AddPost(Post post, string admin)
    {
        if (post.Problem() is { } problem)
        {
            throw new ArchiveException(problem);
        }
        Writer.Run(db =>
        {
            if (Scalar(db, "SELECT id FROM cable_posts WHERE id = $id OR prefix = $p", ("$id", post.Id), ("$p", post.Prefix)) is string clash)
            {
                throw new ArchiveException(clash == post.Id
                    ? $"a post {post.Id} exists already"
                    : $"post {clash} already numbers its telegrams {post.Prefix}; choose another prefix");
            }
            Exec(db, "INSERT INTO cable_posts(id, name, place, prefix, utc_offset, next_serial) VALUES($id, $n, $pl, $p, $o, 1)",
                ("$id", post.Id), ("$n", post.Name), ("$pl", post.Place), ("$p", post.Prefix), ("$o", (int)post.UtcOffset.TotalMinutes));
            db.Forget(); // posts, people and routes are kept from batch to batch
            Audit(db, admin, "cable post added", null, "admin", $"{post.Id}: {post.Name}, {post.Place}, numbers {post.Prefix}, UTC{FormatOffset(post.UtcOffset)}");
            return 0;
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<Post> ListPosts()
    {
        using var db = CableRead();
        return Rows(db, "SELECT id, name, place, prefix, utc_offset FROM cable_posts ORDER BY id", ReadPost);
    }

    /// <inheritdoc />
    public Post? GetPost(string id)
    {
        using var db = CableRead();
        return LoadPost(db, id);
    }

    private static Post ReadPost(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), TimeSpan.FromMinutes(r.GetInt32(4)));

    private static Post? LoadPost(CableDb db, string id) =>
        db.Cached("post " + id, () => Rows(db, "SELECT id, name, place, prefix, utc_offset FROM cable_posts WHERE id = $id", ReadPost, ("$id", id)).FirstOrDefault());

    private static Post RequirePost(CableDb db, string id) =>
        LoadPost(db, id) ?? throw new ArchiveException($"no post '{id}' (add one with `chancery posts add`)");

    /// <inheritdoc />
    public void AddMember(PostMember member, string admin)
    {
        if (member.Role == CableRole.Clearer && string.IsNullOrWhiteSpace(member.Office))
        {
            throw new ArchiveException($"{member.User}: a clearer needs the office they clear for (e.g. --office POL)");
        }
        Writer.Run(db =>
        {
            RequirePost(db, member.Post);
            RequireUser(db, member.User);
            Exec(db, "INSERT OR REPLACE INTO cable_members(post, user, role, office, title) VALUES($p, $u, $r, $o, $t)",
                ("$p", member.Post), ("$u", member.User), ("$r", CableRoles.CommandName(member.Role)), ("$o", member.Office?.Trim()), ("$t", member.Title));
            db.Forget(); // posts, people and routes are kept from batch to batch
            Audit(db, admin, "cable member added", null, "admin",
                $"{member.User} {CableRoles.CommandName(member.Role)} at {member.Post}{(member.Office is null ? "" : " for " + member.Office)}");
            return 0;
        });
    }

    /// <inheritdoc />
    public bool RemoveMember(string post, string user, CableRole role, string admin) =>
        Writer.Run(db =>
        {
            var cmd = Command(db, "DELETE FROM cable_members WHERE post = $p AND user = $u AND role = $r",
                ("$p", post), ("$u", user), ("$r", CableRoles.CommandName(role)));
            var removed = cmd.ExecuteNonQuery() > 0;
            if (removed)
            {
                db.Forget(); // posts, people and routes are kept from batch to batch
                Audit(db, admin, "cable member removed", null, "admin", $"{user} {CableRoles.CommandName(role)} at {post}");
            }
            return removed;
        });

    /// <inheritdoc />
    public IReadOnlyList<PostMember> ListMembers(string? post)
    {
        using var db = CableRead();
        return Rows(db, "SELECT post, user, role, office, title FROM cable_members WHERE $p IS NULL OR post = $p ORDER BY post, user, role",
            ReadMember, ("$p", post));
    }

    private static PostMember ReadMember(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), CableRoles.Parse(r.GetString(2)) ?? CableRole.Drafter,
            r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4));

    private static List<PostMember> MembershipsOf(CableDb db, string user) =>
        db.Cached("memberships " + user, () => Rows(db, "SELECT post, user, role, office, title FROM cable_members WHERE user = $u ORDER BY post, role", ReadMember, ("$u", user)));

    /// <inheritdoc />
    public void SetRoute(ChannelRoute route, string admin)
    {
        if (string.IsNullOrWhiteSpace(route.RelayPoint))
        {
            throw new ArchiveException($"route {route.Post} {route.Channel}: name the relay point (e.g. \"the United States Naval Attaché, Moscow\")");
        }
        Writer.Run(db =>
        {
            RequirePost(db, route.Post);
            Exec(db, "INSERT OR REPLACE INTO cable_routes(post, channel, relay) VALUES($p, $c, $r)",
                ("$p", route.Post), ("$c", route.Channel.ToString()), ("$r", route.RelayPoint.Trim()));
            db.Forget(); // posts, people and routes are kept from batch to batch
            Audit(db, admin, "cable route set", null, "admin", $"{route.Post}: {route.SentBy}");
            return 0;
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<ChannelRoute> ListRoutes(string post)
    {
        using var db = CableRead();
        return Rows(db, "SELECT post, channel, relay FROM cable_routes WHERE post = $p ORDER BY channel",
            r => new ChannelRoute(r.GetString(0), Enum.Parse<CableChannel>(r.GetString(1)), r.GetString(2)), ("$p", post));
    }

    /// <inheritdoc />
    public void SetNextSerial(string post, long next, string admin)
    {
        if (next < 1)
        {
            throw new ArchiveException($"post {post}: the next serial must be 1 or more, not {next}");
        }
        Writer.Run(db =>
        {
            RequirePost(db, post);
            var was = Convert.ToInt64(Scalar(db, "SELECT next_serial FROM cable_posts WHERE id = $p", ("$p", post)), CultureInfo.InvariantCulture);
            var used = Scalar(db, "SELECT max(serial) FROM cable_messages WHERE post = $p", ("$p", post)) is long u ? u : 0;
            if (next <= used)
            {
                throw new ArchiveException($"post {post} has already sent serial {used}; the next serial must be above it");
            }
            Exec(db, "UPDATE cable_posts SET next_serial = $n WHERE id = $p", ("$n", next), ("$p", post));
            Audit(db, admin, "cable serial set", null, "admin", $"{post}: next serial {next} (was {was})");
            return 0;
        });
    }

    /// <inheritdoc />
    public long NextSerial(string post)
    {
        using var db = CableRead();
        return Scalar(db, "SELECT next_serial FROM cable_posts WHERE id = $p", ("$p", post)) is long n
            ? n
            : throw new ArchiveException($"no post '{post}' (add one with `chancery posts add`)");
    }

    /// <inheritdoc />
    public void Designate(string principal, string designee, string admin) =>
        Writer.Run(db =>
        {
            if (!MembershipsOf(db, principal).Any(m => m.Role == CableRole.Principal))
            {
                throw new ArchiveException($"{principal} is not a principal at any post; only principals designate");
            }
            RequireUser(db, designee);
            Exec(db, "INSERT OR IGNORE INTO cable_designees(principal, designee) VALUES($p, $d)", ("$p", principal), ("$d", designee));
            db.Forget(); // posts, people and routes are kept from batch to batch
            Audit(db, admin, "cable designee added", null, "admin", $"{designee} receives what reaches {principal} as named principal");
            return 0;
        });

    /// <inheritdoc />
    public void DefineList(string name, IReadOnlyList<Addressee> members, string admin)
    {
        if (string.IsNullOrWhiteSpace(name) || members.Count == 0)
        {
            throw new ArchiveException("a distribution list needs a name and at least one addressee");
        }
        Writer.Run(db =>
        {
            Exec(db, "INSERT OR REPLACE INTO cable_lists(name, members) VALUES($n, $m)",
                ("$n", name.Trim()), ("$m", JsonSerializer.Serialize(members, DocumentJson.Compact)));
            // expanding now finds unknown posts, users and loops before anyone sends to the list
            var content = new DraftContent { FromPost = "", Action = [Addressee.List(name.Trim())] };
            ResolveRecipients(db, content);
            db.Forget(); // posts, people and routes are kept from batch to batch
            Audit(db, admin, "cable list defined", null, "admin", $"{name}: {string.Join(", ", members)}");
            return 0;
        });
    }

    // ---- drafting ------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public CableDraft CreateDraft(DraftContent content, ReaderIdentity drafter, DateTimeOffset? at = null)
    {
        var now = Now(at);
        return Writer.Run(db =>
        {
            var normal = ValidateDraft(db, content, drafter.Name);
            // the write lock is held, so the next id is ours; knowing it first lets the row be written once
            var id = (long)Scalar(db, "SELECT coalesce(max(id), 0) + 1 FROM cable_drafts")!;
            var draft = new CableDraft(id, normal, drafter.Name, DraftStatus.Draft, normal.RequiredClearances.Select(o => new DraftClearance(o)).ToList(), now);
            Exec(db, "INSERT INTO cable_drafts(id, post, drafter, status, created, json) VALUES($id, $p, $d, 'draft', $t, $j)",
                ("$id", id), ("$p", normal.FromPost), ("$d", drafter.Name), ("$t", Utc(now)), ("$j", JsonSerializer.Serialize(draft, DocumentJson.Compact)));
            Audit(db, drafter.Name, "cable drafted", null, "cable",
                $"draft {id} at {normal.FromPost}: {Markings.Printed(normal.Classification)} {string.Join(' ', normal.Captions)} {Precedences.Printed(normal.Precedence)}; clearances {string.Join(", ", normal.RequiredClearances)}".Replace("  ", " "));
            return draft;
        });
    }

    /// <inheritdoc />
    public CableDraft UpdateDraft(long id, DraftContent content, ReaderIdentity drafter, DateTimeOffset? at = null) =>
        Writer.Run(db =>
        {
            var draft = LoadDraft(db, id);
            if (draft is null || draft.Drafter != drafter.Name)
            {
                throw NoDraft(id);
            }
            if (draft.Status != DraftStatus.Draft)
            {
                throw new ArchiveException($"draft {id} was {(draft.Status == DraftStatus.Sent ? "sent as " + draft.SentAs : "released")}; it cannot change");
            }
            var normal = ValidateDraft(db, content, drafter.Name);
            if (normal.FromPost != draft.Content.FromPost)
            {
                throw new ArchiveException($"draft {id} is from {draft.Content.FromPost}; start a new draft to send from {normal.FromPost}");
            }
            var revised = draft with { Content = normal, Clearances = normal.RequiredClearances.Select(o => new DraftClearance(o)).ToList() };
            SaveDraft(db, revised);
            Audit(db, drafter.Name, "cable draft revised", null, "cable", $"draft {id}; clearances start over");
            return revised;
        });

    /// <inheritdoc />
    public CableDraft? GetDraft(long id, ReaderIdentity reader)
    {
        using var db = CableRead();
        var draft = LoadDraft(db, id);
        return draft is not null && MayViewDraft(db, draft, reader) ? draft : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<CableDraft> ListDrafts(ReaderIdentity reader)
    {
        if (reader.IsPublic)
        {
            return [];
        }
        using var db = CableRead();
        var posts = MembershipsOf(db, reader.Name).Select(m => m.Post).Distinct().ToList();
        var drafts = Rows(db, "SELECT json FROM cable_drafts WHERE status <> 'sent' AND (drafter = $u OR post IN (SELECT value FROM json_each($posts))) ORDER BY id DESC",
            r => JsonSerializer.Deserialize<CableDraft>(r.GetString(0), DocumentJson.Compact)!,
            ("$u", reader.Name), ("$posts", JsonSerializer.Serialize(posts)));
        return drafts.Where(d => MayViewDraft(db, d, reader)).ToList();
    }

    // Drafts are private to their drafter and the people who must act on them, each cleared for the marking.
    private static bool MayViewDraft(CableDb db, CableDraft draft, ReaderIdentity reader)
    {
        if (reader.IsPublic)
        {
            return false;
        }
        if (draft.Drafter == reader.Name || reader.Controls.Contains("*"))
        {
            return true;
        }
        if (!CableDistribution.ClearedFor(reader, draft.Content.Marking))
        {
            return false;
        }
        var offices = draft.Clearances.Select(x => x.Office).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return MembershipsOf(db, reader.Name).Any(m => m.Post == draft.Content.FromPost && m.Role switch
        {
            CableRole.Clearer => m.Office is not null && offices.Contains(m.Office),
            CableRole.Approver => true,
            CableRole.CommunicationsClerk => draft.Status == DraftStatus.Released,
            _ => false,
        });
    }

    /// <inheritdoc />
    public CableDraft Clear(long id, string office, ReaderIdentity clearer, string? comment = null, DateTimeOffset? at = null)
    {
        var now = Now(at);
        return Writer.Run(db =>
        {
            var draft = LoadDraft(db, id) ?? throw NoDraft(id);
            var who = RequireUser(db, clearer.Name);
            var member = MembershipsOf(db, clearer.Name).FirstOrDefault(m =>
                m.Post == draft.Content.FromPost && m.Role == CableRole.Clearer && string.Equals(m.Office, office, StringComparison.OrdinalIgnoreCase));
            var index = draft.Clearances.ToList().FindIndex(x => string.Equals(x.Office, office, StringComparison.OrdinalIgnoreCase));
            if (member is null || !CableDistribution.ClearedFor(who.Identity, draft.Content.Marking))
            {
                // a user who may not clear it learns nothing about the draft
                throw draft.Drafter == clearer.Name && index >= 0
                    ? new ArchiveException($"{clearer.Name} is not a clearer for {office} at {draft.Content.FromPost}")
                    : NoDraft(id);
            }
            if (index < 0)
            {
                throw new ArchiveException($"draft {id} does not need clearance by {office} (it needs {string.Join(", ", draft.Clearances.Select(x => x.Office))})");
            }
            if (draft.Status != DraftStatus.Draft)
            {
                throw new ArchiveException($"draft {id} is already {(draft.Status == DraftStatus.Sent ? "sent" : "released")}");
            }
            if (draft.Clearances[index].ClearedBy is { } by)
            {
                throw new ArchiveException($"draft {id} was already cleared for {office} by {by}");
            }
            var clearances = draft.Clearances.ToList();
            clearances[index] = new DraftClearance(clearances[index].Office, clearer.Name, now, comment);
            var cleared = draft with { Clearances = clearances };
            SaveDraft(db, cleared);
            Audit(db, clearer.Name, "cable cleared", null, "cable", $"draft {id} for {clearances[index].Office}{(comment is null ? "" : ": " + comment)}");
            return cleared;
        });
    }

    /// <inheritdoc />
    public CableDraft Release(long id, ReaderIdentity approver, DateTimeOffset? at = null)
    {
        var now = Now(at);
        return Writer.Run(db =>
        {
            var draft = LoadDraft(db, id) ?? throw NoDraft(id);
            var who = RequireUser(db, approver.Name);
            var isApprover = MembershipsOf(db, approver.Name).Any(m => m.Post == draft.Content.FromPost && m.Role == CableRole.Approver);
            if (!isApprover || !CableDistribution.ClearedFor(who.Identity, draft.Content.Marking))
            {
                throw draft.Drafter == approver.Name
                    ? new ArchiveException($"{approver.Name} may not release draft {id}: it needs an approver at {draft.Content.FromPost} cleared for {Markings.Printed(draft.Content.Classification)}{ControlsText(draft.Content.Marking)}")
                    : NoDraft(id);
            }
            if (draft.Status != DraftStatus.Draft)
            {
                throw new ArchiveException($"draft {id} is already {(draft.Status == DraftStatus.Sent ? "sent as " + draft.SentAs : "released")}");
            }
            if (draft.Clearances.FirstOrDefault(x => x.ClearedBy is null) is { } missing)
            {
                throw new ArchiveException($"draft {id} is not cleared by {missing.Office} yet");
            }
            if (draft.Content.Subject.Trim().Length == 0 || draft.Content.Body.All(p => p.Trim().Length == 0))
            {
                throw new ArchiveException($"draft {id} needs a subject and a text before it is released");
            }
            var released = draft with { Status = DraftStatus.Released, ReleasedBy = approver.Name, Released = now };
            SaveDraft(db, released);
            Audit(db, approver.Name, "cable released", null, "cable", $"draft {id}: {Markings.Printed(draft.Content.Classification)}{ControlsText(draft.Content.Marking)}");
            return released;
        });
    }

    /// <inheritdoc />
    public Telegram Send(long id, ReaderIdentity clerk, SendOptions? options = null)
    {
        var at = Now(options?.At);
        return Writer.Run(db => SendInTransaction(db, id, clerk.Name, options?.Channel, at));
    }

    private static Telegram SendInTransaction(CableDb db, long id, string clerkName, CableChannel? channel, DateTimeOffset at)
    {
        var draft = LoadDraft(db, id) ?? throw NoDraft(id);
        var content = draft.Content;
        var who = RequireUser(db, clerkName);
        var mayTransmit = MembershipsOf(db, clerkName).Any(m => m.Post == content.FromPost && m.Role is CableRole.CommunicationsClerk or CableRole.Approver);
        // the clerk handles the text, so the level must be theirs; named-principal captions are not for clerks to hold
        if (!mayTransmit || !CableDistribution.ClearedFor(who.Identity, content.Marking))
        {
            throw draft.Drafter == clerkName
                ? new ArchiveException($"{clerkName} may not transmit from {content.FromPost}: it needs a communications clerk cleared for {Markings.Printed(content.Classification)}")
                : NoDraft(id);
        }
        if (draft.Status != DraftStatus.Released)
        {
            throw new ArchiveException(draft.Status == DraftStatus.Sent
                ? $"draft {id} was sent already as {draft.SentAs}"
                : $"draft {id} is not released yet (an approver releases it with `chancery cable release {id}`)");
        }
        var post = RequirePost(db, content.FromPost);
        var route = RouteFor(db, post, channel ?? content.Channel ?? CableChannel.State);
        var recipients = ResolveRecipients(db, content);

        // the serial: the row update takes the write lock, and a rollback returns the number, so no gaps and no duplicates
        var serial = (long)Scalar(db, "UPDATE cable_posts SET next_serial = next_serial + 1 WHERE id = $p RETURNING next_serial - 1", ("$p", post.Id))!;
        var sent = at.ToOffset(post.UtcOffset);
        var number = new CableNumber(post.Prefix, serial);
        var titles = content.PersonalFor.Select(u => TitleOf(db, u)).ToList();
        var telegram = new Telegram
        {
            MessageId = Guid.CreateVersion7().ToString(),
            Number = number,
            FromPost = post.Id,
            FromName = post.Name,
            Place = post.Place,
            Recipients = recipients,
            Classification = content.Classification,
            Captions = content.Captions,
            PersonalFor = content.PersonalFor,
            PrintedCaptions = CableCaptions.Printed(content.Captions, titles),
            Precedence = content.Precedence,
            Subject = content.Subject,
            Tags = content.Tags,
            SubjectCode = content.SubjectCode,
            FileNumber = CableDates.FileNumber(content.SubjectCode, DateOnly.FromDateTime(sent.DateTime)),
            References = content.References,
            Body = content.Body,
            Signature = content.Signature,
            Sent = sent,
            DateTimeGroup = CableDates.DateTimeGroup(sent),
            Route = route,
            Drafter = draft.Drafter,
            Clearances = draft.Clearances,
            Approver = draft.ReleasedBy!,
            TransmittedBy = clerkName,
            DraftId = draft.Id,
            InReplyTo = content.InReplyTo,
            DocumentId = CableFiling.DocumentId(post.Id, serial, sent.Year),
        };
        var json = JsonSerializer.Serialize(telegram, DocumentJson.Compact);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        var named = CableDistribution.NamedPrincipals(content.PersonalFor, recipients);
        Exec(db, """
            INSERT INTO cable_messages(id, post, serial, number, sent_at, sent_local, precedence, level, captions, principals, from_name, subject, document_id, json, sha256)
            VALUES($id, $post, $serial, $number, $sent, $local, $prec, $level, $captions, $principals, $from, $subject, $doc, $json, $sha)
            """,
            ("$id", telegram.MessageId), ("$post", post.Id), ("$serial", serial), ("$number", number.ToString()), ("$sent", Utc(sent)),
            ("$local", sent.ToString("O", CultureInfo.InvariantCulture)), ("$prec", (int)content.Precedence), ("$level", (int)content.Classification),
            ("$captions", JsonSerializer.Serialize(content.Captions)), ("$principals", JsonSerializer.Serialize(named)), ("$from", post.Name),
            ("$subject", content.Subject), ("$doc", telegram.DocumentId), ("$json", json), ("$sha", sha));
        foreach (var r in content.References)
        {
            Exec(db, "INSERT OR IGNORE INTO cable_refs(message_id, cited) VALUES($m, $n)", ("$m", telegram.MessageId), ("$n", r.ToString()));
        }
        foreach (var p in recipients.Select(r => r.Post).Distinct())
        {
            // a post in another archive gets an outbox row in this same transaction; the relay carries it (SqliteArchive.Transport.cs)
            if (RemoteTransport(db, p) is { } transport)
            {
                Exec(db, "INSERT INTO cable_outbox(message_id, post, transport, precedence, queued_at) VALUES($m, $p, $t, $prec, $q)",
                    ("$m", telegram.MessageId), ("$p", p), ("$t", transport), ("$prec", (int)content.Precedence), ("$q", Utc(at)));
                continue;
            }
            Exec(db, "INSERT INTO cable_deliveries(message_id, post, precedence, queued_at) VALUES($m, $p, $prec, $q)",
                ("$m", telegram.MessageId), ("$p", p), ("$prec", (int)content.Precedence), ("$q", Utc(at)));
        }
        var senders = CableDistribution.ReadersAtSender(telegram, PostReaders(db, post.Id));
        var searches = db.Searches;
        foreach (var u in senders)
        {
            Exec(db, "INSERT OR IGNORE INTO cable_readers(user, message_id, box, post, at) VALUES($u, $m, 'sent', $p, $a)",
                ("$u", u), ("$m", telegram.MessageId), ("$p", post.Id), ("$a", Utc(sent)));
            searches.Notify(u, telegram, at);
        }
        // only the status and number change: patched in place rather than the whole draft serialised again
        Exec(db, "UPDATE cable_drafts SET status = 'sent', json = json_set(json, '$.status', 'sent', '$.sentAs', $n) WHERE id = $id",
            ("$n", number.ToString()), ("$id", draft.Id));
        Audit(db, clerkName, "cable sent", telegram.DocumentId, "cable",
            $"{number} DTG {telegram.DateTimeGroup}: {Markings.Printed(content.Classification)}{ControlsText(content.Marking)} {Precedences.Printed(content.Precedence)} via {route.ChannelName} to {string.Join(", ", recipients.Select(r => r.Post).Distinct())}; draft {id}");
        return telegram;
    }

    private static ChannelRoute RouteFor(CableDb db, Post post, CableChannel channel)
    {
        if (db.Cached("route " + post.Id + " " + channel, () => Scalar(db, "SELECT relay FROM cable_routes WHERE post = $p AND channel = $c", ("$p", post.Id), ("$c", channel.ToString()))) is string relay)
        {
            return new ChannelRoute(post.Id, channel, relay);
        }
        // every post has the Department's own circuit; other channels must be set up with their relay point
        return channel == CableChannel.State
            ? new ChannelRoute(post.Id, channel, post.Name)
            : throw new ArchiveException($"post {post.Id} has no {channel} route (set one with `chancery posts route {post.Id} --channel {channel} --relay RELAY`)");
    }

    /// <inheritdoc />
    public CableDraft Reply(CableNumber original, ReaderIdentity drafter, string? fromPost = null, DateTimeOffset? at = null)
    {
        Telegram telegram;
        string? receivedAt;
        using (var db = CableRead())
        {
            var found = VisibleTelegram(db, original, drafter) ?? throw NoTelegram(original);
            telegram = found.Telegram;
            receivedAt = Scalar(db, "SELECT post FROM cable_readers WHERE user = $u AND message_id = $m ORDER BY box LIMIT 1",
                ("$u", drafter.Name), ("$m", telegram.MessageId)) as string;
            var drafting = MembershipsOf(db, drafter.Name).Where(m => m.Role is CableRole.Drafter or CableRole.Approver or CableRole.Principal).Select(m => m.Post).ToList();
            fromPost ??= drafting.Contains(receivedAt ?? "") ? receivedAt : drafting.FirstOrDefault();
            if (fromPost is null)
            {
                throw new ArchiveException($"{drafter.Name} drafts at no post; a reply needs one");
            }
            var namedOnly = CableCaptions.IsNamedOnly(telegram.Captions);
            var approverIsPrincipal = MembershipsOf(db, telegram.Approver).Any(m => m.Role == CableRole.Principal);
            // a personal telegram is answered personally to the principal who released it
            var personal = namedOnly && approverIsPrincipal;
            var content = new DraftContent
            {
                FromPost = fromPost,
                Action = personal ? [Addressee.Individual(telegram.Approver)] : [Addressee.Post(telegram.FromPost)],
                Classification = telegram.Classification,
                Captions = personal || !namedOnly ? telegram.Captions : telegram.Captions.Where(x => !CableCaptions.NamedPrincipalCaptions.Contains(x)).ToList(),
                PersonalFor = personal && telegram.Captions.Contains(CableCaptions.PersonalFor) ? [telegram.Approver] : [],
                Precedence = telegram.Precedence,
                Subject = telegram.Subject,
                Tags = telegram.Tags,
                SubjectCode = telegram.SubjectCode,
                References = [telegram.Number],
                InReplyTo = telegram.Number,
            };
            return CreateDraft(content, drafter, at);
        }
    }

    // ---- delivery ------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public int DeliverPending(int max = 256)
    {
        if (max < 1)
        {
            return 0;
        }
        return Writer.Run(db =>
        {
            var pending = Rows(db, """
                SELECT d.seq, d.message_id, d.post, m.level, m.captions, m.principals
                FROM cable_deliveries d JOIN cable_messages m ON m.id = d.message_id
                ORDER BY d.precedence, d.seq LIMIT $n
                """,
                r => (Seq: r.GetInt64(0), Message: r.GetString(1), Post: r.GetString(2), Level: (ClassificationLevel)r.GetInt32(3),
                    Captions: StringList(r.GetString(4)), Named: StringList(r.GetString(5))),
                ("$n", max));
            if (pending.Count == 0)
            {
                return 0;
            }
            var members = new Dictionary<string, IReadOnlyList<PostReader>>(StringComparer.Ordinal);
            var designees = Designees(db);
            var searches = db.Searches;
            var receive = Command(db, "INSERT OR IGNORE INTO cable_receipts(message_id, post, received_at) VALUES($m, $p, $at)", ("$m", ""), ("$p", ""), ("$at", ""));
            var reader = Command(db, "INSERT OR IGNORE INTO cable_readers(user, message_id, box, post, at) VALUES($u, $m, 'received', $p, $at)", ("$u", ""), ("$m", ""), ("$p", ""), ("$at", ""));
            var done = Command(db, "DELETE FROM cable_deliveries WHERE seq = $s", ("$s", 0L));
            foreach (var d in pending)
            {
                var now = CableClock.GetUtcNow();
                receive.Parameters["$m"].Value = d.Message;
                receive.Parameters["$p"].Value = d.Post;
                receive.Parameters["$at"].Value = Utc(now);
                // a second delivery of the same message to the same post (a retry after a crash) changes nothing
                if (receive.ExecuteNonQuery() == 1)
                {
                    if (!members.TryGetValue(d.Post, out var atPost))
                    {
                        members[d.Post] = atPost = PostReaders(db, d.Post);
                    }
                    var readers = CableDistribution.ReadersAtPost(new Marking(d.Level, d.Captions), d.Named, atPost, designees);
                    Telegram? telegram = null;
                    foreach (var u in readers)
                    {
                        reader.Parameters["$u"].Value = u;
                        reader.Parameters["$m"].Value = d.Message;
                        reader.Parameters["$p"].Value = d.Post;
                        reader.Parameters["$at"].Value = Utc(now);
                        reader.ExecuteNonQuery();
                        if (searches.Has(u))
                        {
                            telegram ??= LoadTelegram(db, d.Message);
                            searches.Notify(u, telegram, now);
                        }
                    }
                }
                done.Parameters["$s"].Value = d.Seq;
                done.ExecuteNonQuery();
            }
            return pending.Count;
        });
    }

    /// <inheritdoc />
    public CableQueueStatus QueueStatus()
    {
        using var db = CableRead();
        var pending = Precedences.All.ToDictionary(p => p, _ => 0);
        foreach (var (p, n) in Rows(db, "SELECT precedence, count(*) FROM cable_deliveries GROUP BY precedence", r => ((Precedence)r.GetInt32(0), r.GetInt32(1))))
        {
            pending[p] = n;
        }
        var unfiled = Convert.ToInt32(Scalar(db, "SELECT count(*) FROM cable_messages WHERE filed = 0"), CultureInfo.InvariantCulture);
        var stale = Convert.ToInt32(Scalar(db, "SELECT count(*) FROM cable_stale_volumes"), CultureInfo.InvariantCulture);
        var outbox = Convert.ToInt32(Scalar(db, "SELECT count(*) FROM cable_outbox"), CultureInfo.InvariantCulture);
        var parked = Convert.ToInt32(Scalar(db, "SELECT count(*) FROM cable_parked"), CultureInfo.InvariantCulture);
        return new CableQueueStatus(pending, unfiled, stale, outbox, parked);
    }

    // ---- filing --------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public int FilePending(int max = 5000)
    {
        if (max < 1)
        {
            return 0;
        }
        // Reading the batch and building its documents needs no lock: it runs beside the senders, on the other core.
        // Two fillers building the same batch file the same documents twice, which replaces them: no harm.
        EnsureCablesSchema();
        List<(string Id, Document Document)> filed;
        bool stale, delivering;
        using (var c = Connect())
        {
            // one snapshot: the receipts and cited numbers are read as of the same moment as the batch
            using var read = c.BeginTransaction(deferred: true);
            using var db = new CableDb(c, read);
            var batch = Rows(db, """
                SELECT m.id, m.json, m.sha256 FROM cable_messages m
                WHERE m.filed = 0 AND NOT EXISTS (SELECT 1 FROM cable_deliveries d WHERE d.message_id = m.id)
                ORDER BY m.rowid LIMIT $n
                """, r => (Id: r.GetString(0), Json: r.GetString(1), Sha: r.GetString(2)), ("$n", max));
            var posts = new Dictionary<string, Post?>(StringComparer.Ordinal);
            filed = batch.Select(m => (m.Id, ToFiledDocument(db, JsonSerializer.Deserialize<Telegram>(m.Json, DocumentJson.Compact)!, m.Sha, posts))).ToList();
            stale = Scalar(db, "SELECT EXISTS(SELECT 1 FROM cable_stale_volumes)") is 1L;
            delivering = Scalar(db, "SELECT EXISTS(SELECT 1 FROM cable_deliveries)") is 1L;
            read.Commit();
        }
        // The volume rows are brought level when this batch files the last of the traffic (nothing left to deliver)
        // or, under traffic that never stops, at most every VolumeRefreshEvery: a refresh reads the whole year, and
        // after every small batch of a busy office it held the write lock most of the time.
        var due = Environment.TickCount64 - Volatile.Read(ref _lastVolumeRefresh) >= VolumeRefreshEvery.TotalMilliseconds;
        var refresh = filed.Count < max && (!delivering || due);
        if (filed.Count == 0 && !(stale && refresh))
        {
            return 0;
        }
        SqliteSearchWriter? search = null;
        // writing them holds the write lock: other cable writes of this process wait in line instead of on SQLite's busy timer
        var count = Writer.Exclusive(() =>
        {
            // one transaction: the documents, their search rows and the telegrams' filed flags commit together
            using var c = Connect();
            using var t = BeginImmediate(c);
            using var writer = new DocumentWriter(c, t);
            foreach (var year in filed.GroupBy(f => f.Document.Volume))
            {
                var docs = year.Select(f => f.Document).ToList();
                var batchSha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', docs.Select(d => d.SourceSha256)))));
                var yearNumber = int.Parse(year.Key["cables".Length..], CultureInfo.InvariantCulture);
                FileInto(c, t, writer, CableFiling.VolumeFor(yearNumber, batchSha, 0), docs);
            }
            using (var db = new CableDb(c, t))
            {
                var done = Command(db, "UPDATE cable_messages SET filed = 1 WHERE id = $id", ("$id", ""));
                foreach (var (id, _) in filed)
                {
                    done.Parameters["$id"].Value = id;
                    done.ExecuteNonQuery();
                }
                // Telegrams sent or received since the batch was read are traffic still flowing: not the last of it.
                // Pending deliveries alone do not tell: at a post whose traffic all goes to other archives nothing is
                // ever delivered here, and refreshing after every small batch made its sending quadratic (decision 003).
                if (refresh && !due && Scalar(db, "SELECT EXISTS(SELECT 1 FROM cable_messages WHERE filed = 0)") is 1L)
                {
                    refresh = false;
                }
                if (refresh)
                {
                    RefreshStaleVolumes(c, t, db);
                }
            }
            t.Commit();
            if (refresh)
            {
                Volatile.Write(ref _lastVolumeRefresh, Environment.TickCount64);
            }
            search = writer.Search;
            return filed.Count;
        });
        FeedSearchIndex(search);
        return count;
    }

    private static readonly TimeSpan VolumeRefreshEvery = TimeSpan.FromSeconds(30);
    private long _lastVolumeRefresh = Environment.TickCount64;

    // Lucene is fed by one background task, batch after batch in filing order, outside the write lock and off the
    // filer's thread: the words of 2,000 telegrams take longer to index than to store. A crash before a batch reaches
    // the index leaves its rows to the next search's catch-up, as after any ingest; the database is right either way.
    private readonly object _searchFeedGate = new();
    private Task _searchFeed = Task.CompletedTask;
    private int _searchFeedQueued;
    private const int MaxSearchFeedQueued = 4;

    private void FeedSearchIndex(SqliteSearchWriter? search)
    {
        if (search is null || (search.Added.Count == 0 && search.Removed.Count == 0))
        {
            return;
        }
        if (Volatile.Read(ref _searchFeedQueued) >= MaxSearchFeedQueued)
        {
            // the index falls behind: filing waits for it rather than holding every batch's texts in memory
            WaitForSearchFeed();
        }
        Interlocked.Increment(ref _searchFeedQueued);
        lock (_searchFeedGate)
        {
            _searchFeed = _searchFeed.ContinueWith(_ =>
            {
                try
                {
                    ApplySearch(search);
                }
                finally
                {
                    Interlocked.Decrement(ref _searchFeedQueued);
                }
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Waits until every filed batch has reached the full-text index (or was left to catch-up).</summary>
    private void WaitForSearchFeed()
    {
        Task feed;
        lock (_searchFeedGate)
        {
            feed = _searchFeed;
        }
        try
        {
            feed.Wait();
        }
        catch (AggregateException)
        {
            // a batch that could not be applied is left to the next search's catch-up
        }
    }

    /// <summary>
    /// Writes a filing batch's documents into their per-year volume. The volume row (contents rebuilt from every
    /// stored document, count and content hash) costs a read of the whole year, so it is written when the volume is
    /// new and otherwise only marked stale, in the same transaction, for <see cref="RefreshStaleVolumes"/>: once per
    /// catch-up instead of once per batch, which grew with the year (a million telegrams: quadratic).
    /// </summary>
    private static void FileInto(SqliteConnection c, SqliteTransaction t, DocumentWriter writer, Volume volume, List<Document> docs)
    {
        var seq = Convert.ToInt32(Scalar(c, t, "SELECT coalesce(max(seq), 0) FROM documents WHERE volume = $v", ("$v", volume.Id)), CultureInfo.InvariantCulture);
        foreach (var d in docs)
        {
            // filed again after a crash: it keeps its place in the volume
            var existingSeq = Scalar(c, t, "SELECT seq FROM documents WHERE id = $id", ("$id", d.Id));
            writer.Remove(d.Id);
            writer.Write(d, existingSeq is long s ? (int)s : ++seq);
        }
        if (Scalar(c, t, "SELECT meta FROM volumes WHERE id = $v", ("$v", volume.Id)) is null)
        {
            WriteVolume(c, t, volume);
            return;
        }
        Exec(c, t, """
            INSERT INTO cable_stale_volumes(volume, sha256) VALUES($v, $s)
            ON CONFLICT(volume) DO UPDATE SET sha256 = excluded.sha256
            """, ("$v", volume.Id), ("$s", volume.SourceSha256));
    }

    /// <summary>Rewrites the rows of the volumes marked stale, in the caller's transaction, and clears the marks.</summary>
    private static void RefreshStaleVolumes(SqliteConnection c, SqliteTransaction t, CableDb db)
    {
        foreach (var (id, sha) in Rows(db, "SELECT volume, sha256 FROM cable_stale_volumes ORDER BY volume", r => (r.GetString(0), r.GetString(1))))
        {
            if (Scalar(c, t, "SELECT meta FROM volumes WHERE id = $v", ("$v", id)) is string existing)
            {
                var meta = JsonSerializer.Deserialize<Volume>(existing, DocumentJson.Compact)! with { SourceSha256 = sha };
                WriteVolume(c, t, meta);
            }
        }
        Exec(db, "DELETE FROM cable_stale_volumes");
    }

    private static Document ToFiledDocument(CableDb db, Telegram telegram, string sha, Dictionary<string, Post?> posts)
    {
        string? note = null;
        var action = telegram.Recipients.FirstOrDefault(r => r.Action)?.Post;
        if (action is not null && Scalar(db, "SELECT received_at FROM cable_receipts WHERE message_id = $m AND post = $p", ("$m", telegram.MessageId), ("$p", action)) is string received)
        {
            if (!posts.TryGetValue(action, out var post))
            {
                posts[action] = post = LoadPost(db, action);
            }
            var local = ParseTime(received).ToOffset(post?.UtcOffset ?? TimeSpan.Zero);
            note = CableDates.ReceivedNote(telegram.Sent, local);
        }
        var cited = new Dictionary<CableNumber, string>();
        foreach (var r in telegram.References)
        {
            if (Scalar(db, "SELECT document_id FROM cable_messages WHERE number = $n", ("$n", r.ToString())) is string doc)
            {
                cited[r] = doc;
            }
        }
        return CableFiling.ToDocument(telegram, sha, note, cited);
    }

    // ---- reading -------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public IReadOnlyList<InboxEntry> Inbox(ReaderIdentity reader, CableBox box = CableBox.Received, int limit = 100)
    {
        if (reader.IsPublic)
        {
            return [];
        }
        using var db = CableRead();
        var rows = Rows(db, """
            SELECT m.number, m.id, m.precedence, m.level, m.captions, m.from_name, m.subject, m.sent_local, r.at
            FROM cable_readers r JOIN cable_messages m ON m.id = r.message_id
            WHERE r.user = $u AND r.box = $b AND m.level <= $level
            ORDER BY r.at DESC, m.rowid DESC LIMIT $n
            """,
            r => new InboxEntry(CableNumber.Parse(r.GetString(0)), r.GetString(1), (Precedence)r.GetInt32(2), (ClassificationLevel)r.GetInt32(3),
                JsonSerializer.Deserialize<List<string>>(r.GetString(4))!, r.GetString(5), r.GetString(6), ParseTime(r.GetString(7)),
                box == CableBox.Received ? ParseTime(r.GetString(8)) : null, box),
            ("$u", reader.Name), ("$b", box == CableBox.Received ? Received : SentBox), ("$level", LevelOf(reader)), ("$n", Math.Max(1, limit)));
        return rows.Where(e => CableDistribution.ClearedFor(reader, CableCaptions.MarkingOf(e.Classification, e.Captions))).ToList();
    }

    /// <inheritdoc />
    public TelegramView? Read(CableNumber number, ReaderIdentity reader, string surface)
    {
        TelegramView view;
        using (var db = CableRead())
        {
            var found = VisibleTelegram(db, number, reader);
            if (found is null)
            {
                return null;
            }
            var telegram = found.Telegram;
            var posts = new Dictionary<string, Post?>(StringComparer.Ordinal);
            var receipts = Rows(db, "SELECT post, received_at FROM cable_receipts WHERE message_id = $m ORDER BY received_at, post",
                r => (Post: r.GetString(0), At: ParseTime(r.GetString(1))), ("$m", telegram.MessageId))
                .Select(x =>
                {
                    if (!posts.TryGetValue(x.Post, out var p))
                    {
                        posts[x.Post] = p = LoadPost(db, x.Post);
                    }
                    var local = x.At.ToOffset(p?.UtcOffset ?? TimeSpan.Zero);
                    return new Receipt(x.Post, local, CableDates.ReceivedNote(telegram.Sent, local));
                })
                .ToList();
            view = new TelegramView(telegram, receipts);
        }
        if (view.Telegram.Classification > ClassificationLevel.Unclassified || view.Telegram.Captions.Count > 0)
        {
            Writer.Run(db =>
            {
                Audit(db, reader.Name, "cable read", view.Telegram.DocumentId, surface,
                    $"{view.Telegram.Number}: {Markings.Printed(view.Telegram.Classification)}{ControlsText(view.Telegram.Marking)}");
                return 0;
            });
        }
        return view;
    }

    /// <inheritdoc />
    public IReadOnlyList<CableThreadEntry> Thread(CableNumber number, ReaderIdentity reader)
    {
        using var db = CableRead();
        var start = VisibleTelegram(db, number, reader);
        if (start is null)
        {
            return [];
        }
        var seen = new Dictionary<string, Telegram>(StringComparer.Ordinal) { [start.Telegram.Number.ToString()] = start.Telegram };
        var queue = new Queue<Telegram>([start.Telegram]);
        while (queue.Count > 0 && seen.Count < MaxThreadSize)
        {
            var node = queue.Dequeue();
            var neighbours = node.References.Select(r => r.ToString()).ToList();
            neighbours.AddRange(Rows(db, "SELECT m.number FROM cable_refs r JOIN cable_messages m ON m.id = r.message_id WHERE r.cited = $n",
                r => r.GetString(0), ("$n", node.Number.ToString())));
            foreach (var n in neighbours.Distinct())
            {
                // a telegram the reader may not see stops the chain: nothing beyond it leaks its existence
                if (!seen.ContainsKey(n) && CableNumber.TryParse(n, out var parsed) && VisibleTelegram(db, parsed, reader) is { } next)
                {
                    seen[n] = next.Telegram;
                    queue.Enqueue(next.Telegram);
                }
            }
        }
        return seen.Values
            .OrderBy(x => x.Sent.UtcDateTime).ThenBy(x => x.Number.Prefix, StringComparer.Ordinal).ThenBy(x => x.Number.Serial)
            .Select(x => new CableThreadEntry(x.Number, x.FromName, x.Subject, x.Sent, x.References.Where(r => seen.ContainsKey(r.ToString())).ToList()))
            .ToList();
    }

    /// <inheritdoc />
    public IReadOnlyList<InboxEntry> SearchCables(string query, ReaderIdentity reader, int limit = 100)
    {
        var q = CableQuery.Parse(query);
        if (reader.IsPublic)
        {
            return [];
        }
        using var db = CableRead();
        var all = reader.Controls.Contains("*");
        var rows = Rows(db, all
                ? "SELECT m.json, NULL, NULL FROM cable_messages m ORDER BY m.sent_at DESC"
                : """
                  SELECT m.json, min(r.box), max(r.at) FROM cable_readers r JOIN cable_messages m ON m.id = r.message_id
                  WHERE r.user = $u AND m.level <= $level GROUP BY m.id ORDER BY m.sent_at DESC
                  """,
            r => (Telegram: JsonSerializer.Deserialize<Telegram>(r.GetString(0), DocumentJson.Compact)!, Box: r.IsDBNull(1) ? null : r.GetString(1), At: r.IsDBNull(2) ? null : r.GetString(2)),
            ("$u", reader.Name), ("$level", LevelOf(reader)));
        return rows
            .Where(x => CableDistribution.ClearedFor(reader, x.Telegram.Marking) && q.Matches(x.Telegram))
            .Take(Math.Max(1, limit))
            .Select(x => new InboxEntry(x.Telegram.Number, x.Telegram.MessageId, x.Telegram.Precedence, x.Telegram.Classification, x.Telegram.Captions,
                x.Telegram.FromName, x.Telegram.Subject, x.Telegram.Sent, x.Box == Received && x.At is not null ? ParseTime(x.At) : null,
                x.Box == Received ? CableBox.Received : CableBox.Sent))
            .ToList();
    }

    private sealed record FoundTelegram(Telegram Telegram);

    // The one place a reader's right to a telegram is decided: on its distribution (or the system reader), and still cleared for it.
    private static FoundTelegram? VisibleTelegram(CableDb db, CableNumber number, ReaderIdentity reader)
    {
        if (reader.IsPublic)
        {
            return null;
        }
        var row = Rows(db, """
            SELECT m.json, EXISTS(SELECT 1 FROM cable_readers r WHERE r.user = $u AND r.message_id = m.id)
            FROM cable_messages m WHERE m.number = $n
            """, r => (Json: r.GetString(0), OnDistribution: r.GetInt64(1) == 1), ("$u", reader.Name), ("$n", number.ToString())).FirstOrDefault();
        if (row.Json is null || !(row.OnDistribution || reader.Controls.Contains("*")))
        {
            return null;
        }
        var telegram = JsonSerializer.Deserialize<Telegram>(row.Json, DocumentJson.Compact)!;
        return CableDistribution.ClearedFor(reader, telegram.Marking) ? new FoundTelegram(telegram) : null;
    }

    private static Telegram LoadTelegram(CableDb db, string messageId) =>
        JsonSerializer.Deserialize<Telegram>((string)Scalar(db, "SELECT json FROM cable_messages WHERE id = $m", ("$m", messageId))!, DocumentJson.Compact)!;

    private static int LevelOf(ReaderIdentity reader) => reader.Controls.Contains("*") ? int.MaxValue : (int)reader.Clearance;

    // ---- saved searches --------------------------------------------------------------------------------------

    /// <inheritdoc />
    public SavedSearch SaveSearch(string name, string query, ReaderIdentity owner)
    {
        CableQuery.Parse(query);
        if (owner.IsPublic || string.IsNullOrWhiteSpace(name))
        {
            throw new ArchiveException("a saved search needs a name and a signed-in user");
        }
        var now = CableClock.GetUtcNow();
        return Writer.Run(db =>
        {
            var cmd = Command(db, """
                INSERT INTO cable_searches(user, name, query, created) VALUES($u, $n, $q, $t)
                ON CONFLICT(user, name) DO UPDATE SET query = excluded.query, created = excluded.created
                RETURNING id
                """, ("$u", owner.Name), ("$n", name.Trim()), ("$q", query), ("$t", Utc(now)));
            db.ResetSearches();
            return new SavedSearch((long)cmd.ExecuteScalar()!, owner.Name, name.Trim(), query, now);
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<SavedSearch> ListSavedSearches(ReaderIdentity owner)
    {
        using var db = CableRead();
        return Rows(db, "SELECT id, user, name, query, created FROM cable_searches WHERE user = $u ORDER BY name",
            r => new SavedSearch(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), ParseTime(r.GetString(4))), ("$u", owner.Name));
    }

    /// <inheritdoc />
    public bool RemoveSavedSearch(string name, ReaderIdentity owner) =>
        Writer.Run(db =>
        {
            if (Scalar(db, "SELECT id FROM cable_searches WHERE user = $u AND name = $n", ("$u", owner.Name), ("$n", name.Trim())) is not long id)
            {
                return false;
            }
            Exec(db, "DELETE FROM cable_notifications WHERE search = $s", ("$s", id));
            Exec(db, "DELETE FROM cable_searches WHERE id = $s", ("$s", id));
            db.ResetSearches();
            return true;
        });

    /// <inheritdoc />
    public IReadOnlyList<CableNotification> Notifications(ReaderIdentity owner, bool unseenOnly = false)
    {
        if (owner.IsPublic)
        {
            return [];
        }
        using var db = CableRead();
        return Rows(db, """
            SELECT n.id, s.name, m.number, m.subject, m.precedence, n.at, n.seen
            FROM cable_notifications n JOIN cable_searches s ON s.id = n.search JOIN cable_messages m ON m.id = n.message_id
            WHERE n.user = $u AND ($unseen = 0 OR n.seen = 0) AND m.level <= $level
            ORDER BY n.id DESC
            """,
            r => new CableNotification(r.GetInt64(0), r.GetString(1), CableNumber.Parse(r.GetString(2)), r.GetString(3), (Precedence)r.GetInt32(4),
                ParseTime(r.GetString(5)), r.GetInt64(6) == 1),
            ("$u", owner.Name), ("$unseen", unseenOnly ? 1 : 0), ("$level", LevelOf(owner)));
    }

    /// <inheritdoc />
    public int MarkNotificationsSeen(ReaderIdentity owner) =>
        Writer.Run(db =>
        {
            var cmd = Command(db, "UPDATE cable_notifications SET seen = 1 WHERE user = $u AND seen = 0", ("$u", owner.Name));
            return cmd.ExecuteNonQuery();
        });

    /// <summary>The saved searches of a transaction's readers, parsed once, and the notifications they raise.</summary>
    private sealed class SavedSearches(CableDb db)
    {
        private Dictionary<string, List<(long Id, CableQuery Query)>>? _byUser;

        private Dictionary<string, List<(long Id, CableQuery Query)>> ByUser => _byUser ??= Load();

        public bool Has(string user) => ByUser.ContainsKey(user);

        public void Notify(string user, Telegram telegram, DateTimeOffset at)
        {
            if (!ByUser.TryGetValue(user, out var list))
            {
                return;
            }
            foreach (var (id, query) in list.Where(s => s.Query.Matches(telegram)))
            {
                Exec(db, "INSERT OR IGNORE INTO cable_notifications(user, search, message_id, at) VALUES($u, $s, $m, $a)",
                    ("$u", user), ("$s", id), ("$m", telegram.MessageId), ("$a", Utc(at)));
            }
        }

        private Dictionary<string, List<(long, CableQuery)>> Load()
        {
            var d = new Dictionary<string, List<(long, CableQuery)>>(StringComparer.Ordinal);
            foreach (var (id, user, text) in Rows(db, "SELECT id, user, query FROM cable_searches", r => (r.GetInt64(0), r.GetString(1), r.GetString(2))))
            {
                CableQuery query;
                try
                {
                    query = CableQuery.Parse(text);
                }
                catch (ArchiveException)
                {
                    continue; // saved by an older grammar: it no longer matches anything rather than stopping delivery
                }
                if (!d.TryGetValue(user, out var list))
                {
                    d[user] = list = [];
                }
                list.Add((id, query));
            }
            return d;
        }
    }

    // ---- editions ------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public string SelectForEdition(CableNumber number, string volumeId, string documentNumber, ReaderIdentity editor)
    {
        if (volumeId.Length == 0 || !volumeId.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_')
            || documentNumber.Length == 0 || !documentNumber.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArchiveException($"'{volumeId}' document '{documentNumber}' is not a volume id and document number (e.g. frus1945Berlinv01 578)");
        }
        Document filed;
        using (var db = CableRead())
        {
            var documentId = Scalar(db, "SELECT CASE WHEN filed = 1 THEN document_id END FROM cable_messages WHERE number = $n", ("$n", number.ToString())) as string;
            var json = documentId is null ? null : Scalar(db, "SELECT json FROM documents WHERE id = $id", ("$id", documentId)) as string;
            if (json is null)
            {
                throw new ArchiveException($"no filed telegram {number} (telegrams are filed once delivered)");
            }
            filed = DocumentJson.Deserialize(json);
            if (!editor.MayReadOriginal(filed.Marking))
            {
                throw new ArchiveException($"no filed telegram {number} (telegrams are filed once delivered)");
            }
        }
        var copy = filed with { Id = DocumentIds.Make(volumeId, "d" + documentNumber), Volume = volumeId, Number = documentNumber };
        var volume = new Volume { Id = volumeId, Title = volumeId, SourceKind = "telegram", SourceSha256 = filed.SourceSha256 };
        Writer.Exclusive(() =>
        {
            UpsertDocuments(volume, [copy]);
            return 0;
        });
        Writer.Run(db =>
        {
            Audit(db, editor.Name, "cable selected for edition", copy.Id, "cable", $"{number} ({filed.Id}) as document {documentNumber}");
            return 0;
        });
        return copy.Id;
    }

    // ---- validation and helpers ------------------------------------------------------------------------------

    private static DraftContent ValidateDraft(CableDb db, DraftContent content, string drafter)
    {
        var user = RequireUser(db, drafter);
        var post = RequirePost(db, content.FromPost);
        if (!MembershipsOf(db, drafter).Any(m => m.Post == post.Id && m.Role is CableRole.Drafter or CableRole.Approver or CableRole.Principal))
        {
            throw new ArchiveException($"{drafter} does not draft at {post.Id} (add the role with `chancery posts member {post.Id} {drafter} --role drafter`)");
        }
        var captions = CableCaptions.Normalise(content.Captions);
        if (captions.FirstOrDefault(x => !Markings.KnownControls.Contains(x)) is { } unknown)
        {
            throw new ArchiveException($"caption {unknown} is not known (use {string.Join(", ", Markings.KnownControls)})");
        }
        var personalFor = content.PersonalFor.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (personalFor.Count > 0 && !captions.Any(CableCaptions.NamedPrincipalCaptions.Contains))
        {
            captions = [.. captions, CableCaptions.PersonalFor];
        }
        if (captions.Contains(CableCaptions.PersonalFor) && personalFor.Count == 0)
        {
            throw new ArchiveException("a PERSONAL-FOR telegram must name its principals (--for USER)");
        }
        foreach (var p in personalFor)
        {
            if (!MembershipsOf(db, p).Any(m => m.Role == CableRole.Principal))
            {
                throw new ArchiveException($"{p} is not a principal at any post; PERSONAL-FOR names principals");
            }
        }
        var normal = content with
        {
            FromPost = post.Id,
            Captions = captions,
            PersonalFor = personalFor,
            Subject = content.Subject.Trim(),
            Tags = content.Tags.Select(x => x.Trim().ToUpperInvariant()).Where(x => x.Length > 0).Distinct().ToList(),
            SubjectCode = string.IsNullOrWhiteSpace(content.SubjectCode) ? null : content.SubjectCode.Trim(),
            RequiredClearances = content.RequiredClearances.Select(x => x.Trim()).Where(x => x.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        };
        if (!CableDistribution.ClearedFor(user.Identity, normal.Marking))
        {
            throw new ArchiveException($"{drafter} is not cleared for {Markings.Printed(normal.Classification)}{ControlsText(normal.Marking)}");
        }
        if (normal.Action.Count == 0)
        {
            throw new ArchiveException("a telegram needs at least one action addressee");
        }
        if (normal.SubjectCode is { } code && !CableDates.IsSubjectCode(code))
        {
            throw new ArchiveException($"'{code}' is not a decimal subject code (e.g. 761.93)");
        }
        var offices = MembersOf(db, post.Id).Where(m => m.Role == CableRole.Clearer && m.Office is not null).Select(m => m.Office!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (normal.RequiredClearances.FirstOrDefault(o => !offices.Contains(o)) is { } office)
        {
            throw new ArchiveException($"nobody at {post.Id} clears for {office} (add a clearer with `chancery posts member {post.Id} USER --role clearer --office {office}`)");
        }
        if (normal.Channel is { } ch && ch != CableChannel.State)
        {
            RouteFor(db, post, ch);
        }
        ResolveRecipients(db, normal);
        return normal;
    }

    private static List<PostMember> MembersOf(CableDb db, string post) => db.Cached("members " + post, () =>
        Rows(db, "SELECT post, user, role, office, title FROM cable_members WHERE post = $p ORDER BY user, role", ReadMember, ("$p", post)));

    /// <summary>Action then info recipients, distribution lists expanded, each with the post that receives it.</summary>
    private static List<Recipient> ResolveRecipients(CableDb db, DraftContent content)
    {
        var list = new List<Recipient>();
        void Add(Addressee a, bool action, int depth, HashSet<string> lists)
        {
            switch (a.Kind)
            {
                case AddresseeKind.Post:
                    var post = RequirePost(db, a.Target);
                    Put(new Recipient(a, post.Name, post.Id, action));
                    break;
                case AddresseeKind.Individual:
                    var memberships = MembershipsOf(db, a.Target);
                    var home = memberships.FirstOrDefault(m => m.Role == CableRole.Principal) ?? memberships.FirstOrDefault()
                        ?? throw new ArchiveException($"{a.Target} serves at no post, so no telegram can reach them");
                    Put(new Recipient(a, memberships.Select(m => m.Title).FirstOrDefault(x => x is not null) ?? a.Target, home.Post, action));
                    break;
                case AddresseeKind.List:
                    if (!lists.Add(a.Target) || depth > MaxListDepth)
                    {
                        throw new ArchiveException($"distribution list {a.Target} contains itself");
                    }
                    var json = db.Cached("list " + a.Target, () => Scalar(db, "SELECT members FROM cable_lists WHERE name = $n", ("$n", a.Target))) as string
                        ?? throw new ArchiveException($"no distribution list '{a.Target}'");
                    foreach (var m in JsonSerializer.Deserialize<List<Addressee>>(json, DocumentJson.Compact) ?? [])
                    {
                        Add(m, action, depth + 1, lists);
                    }
                    lists.Remove(a.Target);
                    break;
            }
        }
        void Put(Recipient r)
        {
            if (!list.Any(x => x.Addressee == r.Addressee))
            {
                list.Add(r);
            }
        }
        foreach (var a in content.Action)
        {
            Add(a, true, 0, []);
        }
        foreach (var a in content.Info)
        {
            Add(a, false, 0, []);
        }
        // a principal named PERSONAL-FOR is reached even when the drafter addressed only their post
        foreach (var p in content.PersonalFor)
        {
            if (!list.Any(r => r.Addressee.Kind == AddresseeKind.Individual && r.Addressee.Target == p))
            {
                Add(Addressee.Individual(p), true, 0, []);
            }
        }
        return list;
    }

    private static string TitleOf(CableDb db, string user) =>
        MembershipsOf(db, user).Select(m => m.Title).FirstOrDefault(x => x is not null) ?? user;

    /// <summary>Members of a post with their identities as the users table has them now.</summary>
    private static List<PostReader> PostReaders(CableDb db, string post) => db.Cached("readers " + post, () =>
        Rows(db, """
            SELECT m.user, m.role, u.clearance, u.controls FROM cable_members m JOIN users u ON u.name = m.user
            WHERE m.post = $p ORDER BY m.user, m.role
            """,
            r => new PostReader(r.GetString(0), CableRoles.Parse(r.GetString(1)) ?? CableRole.Drafter, IdentityOf(r.GetString(0), r.GetInt32(2), r.GetString(3))),
            ("$p", post)));

    private static Dictionary<string, IReadOnlyList<ReaderIdentity>> Designees(CableDb db) => db.Cached("designees", () =>
    {
        var d = new Dictionary<string, IReadOnlyList<ReaderIdentity>>(StringComparer.Ordinal);
        foreach (var g in Rows(db, "SELECT d.principal, u.name, u.clearance, u.controls FROM cable_designees d JOIN users u ON u.name = d.designee",
            r => (Principal: r.GetString(0), Identity: IdentityOf(r.GetString(1), r.GetInt32(2), r.GetString(3)))).GroupBy(x => x.Principal))
        {
            d[g.Key] = g.Select(x => x.Identity).ToList();
        }
        return d;
    });

    private static ReaderIdentity IdentityOf(string name, int clearance, string controls) =>
        new(name, false, (ClassificationLevel)clearance, new HashSet<string>(controls.Split(',', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal));

    private static UserAccount RequireUser(CableDb db, string name) =>
        db.Cached("user " + name, () => Rows(db, "SELECT name, clearance, controls, created FROM users WHERE name = $n",
            r => new UserAccount(r.GetString(0), (ClassificationLevel)r.GetInt32(1), r.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries),
                DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture)), ("$n", name)).FirstOrDefault())
        ?? throw new ArchiveException($"no user {name} (add one with `chancery users add`)");

    private static CableDraft? LoadDraft(CableDb db, long id) =>
        Scalar(db, "SELECT json FROM cable_drafts WHERE id = $id", ("$id", id)) is string json
            ? JsonSerializer.Deserialize<CableDraft>(json, DocumentJson.Compact)
            : null;

    private static void SaveDraft(CableDb db, CableDraft draft) =>
        Exec(db, "UPDATE cable_drafts SET status = $s, json = $j WHERE id = $id",
            ("$s", draft.Status switch { DraftStatus.Sent => "sent", DraftStatus.Released => "released", _ => "draft" }),
            ("$j", JsonSerializer.Serialize(draft, DocumentJson.Compact)), ("$id", draft.Id));

    // most telegrams carry no captions and name no principals: "[]" needs no parser
    private static List<string> StringList(string json) => json == "[]" ? [] : JsonSerializer.Deserialize<List<string>>(json)!;

    private static ArchiveException NoDraft(long id) => new($"no draft {id} that you may see");

    private static ArchiveException NoTelegram(CableNumber n) => new($"no telegram {n} that you may see");

    private static string ControlsText(Marking marking) => marking.Controls.Count == 0 ? "" : " " + string.Join(' ', marking.Controls);

    private static string Utc(DateTimeOffset t) => t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static string FormatOffset(TimeSpan offset) => (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    // Statements are prepared once per connection use and reused: a batch of sends repeats the same few dozen.
    private static SqliteCommand Command(CableDb db, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = db.Prepared(sql);
        cmd.Parameters.Clear();
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return cmd;
    }

    private static void Exec(CableDb db, string sql, params (string Name, object? Value)[] args) => Command(db, sql, args).ExecuteNonQuery();

    private static object? Scalar(CableDb db, string sql, params (string Name, object? Value)[] args) =>
        Command(db, sql, args).ExecuteScalar() is var r && r is DBNull ? null : r;

    private static List<T> Rows<T>(CableDb db, string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] args)
    {
        using var r = Command(db, sql, args).ExecuteReader();
        var list = new List<T>();
        while (r.Read())
        {
            list.Add(map(r));
        }
        return list;
    }

    /// <summary>
    /// Appends one hash-chained audit line in the batch's transaction, as <see cref="AppendAudit(SqliteConnection, SqliteTransaction, string, string, string?, string, string, string)"/>
    /// does, with prepared statements and the chain's head remembered within the transaction: the write lock is
    /// held, so no other writer can append in between, and a job's rollback forgets the head.
    /// </summary>
    private static void Audit(CableDb db, string user, string action, string? document, string surface, string detail)
    {
        if (db.Transaction is null)
        {
            throw new InvalidOperationException("audit outside a transaction");
        }
        if (db.AuditHead is not { } head)
        {
            var prev = Scalar(db, "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1") as string ?? AuditChain.Genesis;
            var last = Scalar(db, "SELECT max(seq) FROM audit") is long n ? n : 0;
            head = (last, prev);
        }
        var seq = head.Seq + 1;
        var time = DateTimeOffset.UtcNow;
        var hash = AuditChain.Hash(head.Hash, seq, time, user, action, document, surface, detail);
        Exec(db, "INSERT INTO audit(seq, time, user, action, document, surface, detail, prev_hash, hash) VALUES($s, $t, $u, $a, $d, $f, $x, $p, $h)",
            ("$s", seq), ("$t", AuditChain.FormatTime(time)), ("$u", user), ("$a", action), ("$d", document), ("$f", surface), ("$x", detail), ("$p", head.Hash), ("$h", hash));
        db.AuditHead = (seq, hash);
    }

    /// <summary>
    /// A connection, its transaction (when writing) and the statements prepared on it. The group-commit writer keeps
    /// one for its whole life and begins a transaction per batch, so a batch of sends prepares nothing.
    /// </summary>
    private sealed class CableDb(SqliteConnection connection, SqliteTransaction? transaction, bool ownsConnection = false) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
        private SqliteTransaction? _transaction = transaction;
        private bool _began;

        public SqliteConnection Connection => connection;

        public SqliteTransaction? Transaction => _transaction;

        /// <summary>The audit chain's last line as this transaction wrote it, or null when not known yet.</summary>
        public (long Seq, string Hash)? AuditHead { get; set; }

        /// <summary>Starts a write transaction (taking the write lock) on the kept connection.</summary>
        public void Begin()
        {
            _transaction = connection.BeginTransaction(deferred: false);
            _began = true;
            AuditHead = null;
            _searches = null;
            // another connection committed since the last batch (a user changed, filing, another process): what was
            // kept may be out of date. Asked with the write lock held, so nothing else commits until this batch ends.
            var version = (long)Prepared("PRAGMA data_version").ExecuteScalar()!;
            if (version != _dataVersion)
            {
                _cache?.Clear();
                _dataVersion = version;
            }
        }

        private long _dataVersion = -1;
        private Dictionary<string, object?>? _cache;

        /// <summary>
        /// Posts, people, routes and lists as this connection last read them, kept from batch to batch while only
        /// this connection writes (<see cref="Begin"/> drops them when another connection has committed, and every
        /// cable write that changes them calls <see cref="Forget"/>). Connections without a write batch keep nothing.
        /// </summary>
        public T Cached<T>(string key, Func<T> load)
        {
            if (!_began || _transaction is null)
            {
                return load();
            }
            _cache ??= new Dictionary<string, object?>(StringComparer.Ordinal);
            if (_cache.TryGetValue(key, out var kept))
            {
                return (T)kept!;
            }
            var value = load();
            _cache[key] = value;
            return value;
        }

        /// <summary>Drops what <see cref="Cached"/> kept (after a write to posts, members, routes, designees or lists).</summary>
        public void Forget() => _cache?.Clear();

        /// <summary>Commits the batch, or rolls it back when <paramref name="commit"/> is false.</summary>
        public void End(bool commit)
        {
            var t = _transaction;
            _transaction = null;
            _began = false;
            AuditHead = null;
            _searches = null;
            if (t is null)
            {
                return;
            }
            try
            {
                if (commit)
                {
                    t.Commit();
                }
            }
            finally
            {
                t.Dispose();
            }
        }

        /// <summary>Runs one job under a savepoint: its failure undoes only its own writes.</summary>
        public void Savepoint() => Prepared("SAVEPOINT cable_job").ExecuteNonQuery();

        public void ReleaseSavepoint() => Prepared("RELEASE cable_job").ExecuteNonQuery();

        public void RollbackSavepoint()
        {
            Prepared("ROLLBACK TO cable_job").ExecuteNonQuery();
            Prepared("RELEASE cable_job").ExecuteNonQuery();
            // what the job wrote is gone: the audit head, saved searches and kept look-ups it may have changed are read again
            AuditHead = null;
            _searches = null;
            _cache?.Clear();
        }

        private SavedSearches? _searches;

        /// <summary>Saved searches as of this batch, loaded on first use.</summary>
        public SavedSearches Searches => _searches ??= new SavedSearches(this);

        /// <summary>Forgets the loaded saved searches (after one was saved or removed).</summary>
        public void ResetSearches() => _searches = null;

        public SqliteCommand Prepared(string sql)
        {
            if (!_statements.TryGetValue(sql, out var cmd))
            {
                cmd = connection.CreateCommand();
                cmd.CommandText = sql;
                _statements[sql] = cmd;
            }
            cmd.Transaction = _transaction;
            return cmd;
        }

        public void Dispose()
        {
            foreach (var cmd in _statements.Values)
            {
                cmd.Dispose();
            }
            _statements.Clear();
            if (_began)
            {
                _transaction?.Dispose();
                _transaction = null;
            }
            if (ownsConnection)
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>
    /// Group commit for this archive object's cable writes. A call queues its work; one caller at a time leads and
    /// runs everything queued in one transaction, each call under its own savepoint (a failing call undoes only
    /// itself), and commits once; the others sleep until their work is committed. Each call returns after the
    /// commit that made it durable.
    /// </summary>
    private sealed class CableWriter(SqliteArchive archive)
    {
        private const int MaxBatch = 512;
        private readonly ConcurrentQueue<Job> _queue = new();
        private int _leading;
        // the writer's connection and its prepared statements, kept from batch to batch; only the leader touches it
        private CableDb? _db;

        // Gathering: a commit waits for the disk (an fsync, milliseconds here), and the callers it wakes need a moment
        // to queue their next work. A leader that finds fewer jobs queued than recent batches held waits up to
        // GatherWindow for them, so one fsync serves the whole group instead of a straggler or two each. Only with
        // many callers (GatherFrom): a few senders and the deliverer gain little and would wait for each other, which
        // on a busy machine costs a scheduling delay, not 2 ms (measured: FLASH p50 6 → 26 ms at load 49).
        private static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(2);
        private const int GatherFrom = 8;
        private readonly int[] _recentBatches = new int[8];
        private int _recentIndex;
        private int _gatherTarget;
        private readonly ManualResetEventSlim _gathered = new(false, spinCount: 1);

        /// <summary>Closes the kept connection (the next batch opens another); waits for a running batch to end.</summary>
        public void Close()
        {
            var spin = new SpinWait();
            while (Interlocked.CompareExchange(ref _leading, 1, 0) != 0)
            {
                spin.SpinOnce();
            }
            try
            {
                DropConnection();
            }
            finally
            {
                Volatile.Write(ref _leading, 0);
            }
            // work queued meanwhile found a leader busy; the first waiter to wake leads it
        }

        // A page cache larger than SQLite's 2 MB default: every telegram inserts into a dozen indexes spread over the
        // whole file (numbers, serials, inboxes, the audit chain), which at 100,000 telegrams no longer fit in 2 MB.
        // No automatic checkpoint on this connection: SQLite runs it inside the commit that crosses 1,000 log pages,
        // so every sender (and the FLASH behind them) waited for pages to be copied and the database synced. The
        // other connections (filing, which runs in lulls, and the host's Maintain) still checkpoint.
        private CableDb OpenConnection()
        {
            var c = archive.Connect();
            Exec(c, null, "PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=0");
            return new CableDb(c, null, ownsConnection: true);
        }

        private void DropConnection()
        {
            var db = _db;
            _db = null;
            try
            {
                db?.Dispose();
            }
            catch (SqliteException)
            {
                // closing a connection whose transaction failed: nothing more to undo
            }
        }

        private sealed class Job(Func<CableDb?, object?> work, bool exclusive)
        {
            // waiting callers block instead of spinning: a sender's time is better spent by the leader
            private readonly ManualResetEventSlim _done = new(false, spinCount: 1);

            public Func<CableDb?, object?> Work { get; } = work;
            /// <summary>Runs alone, outside any batch transaction, in its turn in the queue.</summary>
            public bool Exclusive { get; } = exclusive;
            public object? Result { get; set; }
            public Exception? Error { get; set; }
            public bool Done => _done.IsSet;

            public void Finish() => _done.Set();

            // the timeout is only a safety net: a leader always finishes or hands over the jobs it saw
            public void Wait() => _done.Wait(TimeSpan.FromMilliseconds(20));
        }

        public T Run<T>(Func<CableDb, T> work) => Queue<T>(new Job(db => work(db!), exclusive: false));

        /// <summary>
        /// Runs <paramref name="action"/> alone, in its turn: the batch before it commits first and no cable write of
        /// this object runs until it returns.
        /// </summary>
        public T Exclusive<T>(Func<T> action) => Queue<T>(new Job(_ => action(), exclusive: true));

        private T Queue<T>(Job job)
        {
            _queue.Enqueue(job);
            if (Volatile.Read(ref _gatherTarget) is > 0 and var target && _queue.Count >= target)
            {
                _gathered.Set();
            }
            while (!job.Done)
            {
                if (!TryLead())
                {
                    // someone leads; it takes this job in its turn, or hands over when it stops
                    job.Wait();
                }
            }
            if (job.Error is { } e)
            {
                ExceptionDispatchInfo.Capture(e).Throw();
            }
            return (T)job.Result!;
        }

        // Leads when nobody does; after letting go, leads again if work arrived meanwhile, so no queued call is left
        // waiting for a leader (a caller that queues after the last check finds no leader and leads itself).
        private bool TryLead()
        {
            if (Interlocked.CompareExchange(ref _leading, 1, 0) != 0)
            {
                return false;
            }
            do
            {
                try
                {
                    while (!_queue.IsEmpty)
                    {
                        RunBatch();
                    }
                }
                finally
                {
                    Volatile.Write(ref _leading, 0);
                }
            }
            while (!_queue.IsEmpty && Interlocked.CompareExchange(ref _leading, 1, 0) == 0);
            return true;
        }

        // Only the leader takes jobs off the queue, so a peeked job is still there to take.
        private void RunBatch()
        {
            if (_queue.TryPeek(out var head) && head.Exclusive)
            {
                _queue.TryDequeue(out _);
                try
                {
                    head.Result = head.Work(null);
                }
                catch (Exception e)
                {
                    head.Error = e;
                }
                finally
                {
                    head.Finish();
                }
                return;
            }
            var expected = Math.Min(MaxBatch, _recentBatches.Max());
            if (expected >= GatherFrom && _queue.Count < expected)
            {
                _gathered.Reset();
                Volatile.Write(ref _gatherTarget, expected);
                if (_queue.Count < expected)
                {
                    _gathered.Wait(GatherWindow);
                }
                Volatile.Write(ref _gatherTarget, 0);
            }
            var batch = new List<Job>();
            while (batch.Count < MaxBatch && _queue.TryPeek(out var next) && !next.Exclusive && _queue.TryDequeue(out var j))
            {
                batch.Add(j);
            }
            if (batch.Count == 0)
            {
                return;
            }
            _recentBatches[_recentIndex] = batch.Count;
            _recentIndex = (_recentIndex + 1) % _recentBatches.Length;
            try
            {
                var db = _db ??= OpenConnection();
                db.Begin();
                foreach (var job in batch)
                {
                    db.Savepoint();
                    try
                    {
                        job.Result = job.Work(db);
                        db.ReleaseSavepoint();
                    }
                    catch (Exception e)
                    {
                        db.RollbackSavepoint();
                        job.Error = e;
                        job.Result = null;
                    }
                }
                db.End(commit: true);
            }
            catch (Exception e)
            {
                // a connection whose batch failed is not trusted with the next one
                DropConnection();
                // the transaction did not commit: nothing of this batch happened, whatever each job returned
                var failure = e is SqliteException ? new ArchiveException($"the archive at {archive.Location} could not record the change: {e.Message}", e) : e;
                foreach (var job in batch)
                {
                    job.Error ??= failure;
                    job.Result = null;
                }
            }
            finally
            {
                foreach (var job in batch)
                {
                    job.Finish();
                }
            }
        }
    }
}

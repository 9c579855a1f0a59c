using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chancery.Archive.Cables;
using Chancery.Core.Cables;
using Chancery.Core.Export;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// The archive's end of the transport between machines (docs/decisions/003-cable-transport.md). A post declared
/// remote (<c>cable_remote_posts</c>) lives in another archive: sending to it writes a <c>cable_outbox</c> row in
/// the sending transaction instead of a local delivery; a relay carries outbox rows to the shared transport and
/// hands what the transport holds for this archive's own posts to <see cref="ReceiveTransported"/>, which stores
/// telegram and delivery in one transaction and is idempotent by message id, so a replayed row changes nothing.
/// </summary>
public sealed partial class SqliteArchive
{
    /// <summary>
    /// Adds a post that lives in another archive, reached through <paramref name="transport"/> (a
    /// <c>postgres://</c> URL): drafts here can address it, and what is sent to it goes out through the relay.
    /// </summary>
    public void AddRemotePost(Post post, string transport, string admin)
    {
        if (post.Problem() is { } problem)
        {
            throw new ArchiveException(problem);
        }
        var url = CheckTransport(transport);
        Writer.Run(db =>
        {
            if (Scalar(db, "SELECT id FROM cable_posts WHERE id = $id OR prefix = $p", ("$id", post.Id), ("$p", post.Prefix)) is string clash)
            {
                throw new ArchiveException(clash == post.Id
                    ? $"a post {post.Id} exists already"
                    : $"post {clash} already numbers its telegrams {post.Prefix}; choose another prefix");
            }
            InsertRemotePost(db, post, url);
            db.Forget();
            Audit(db, admin, "cable post added", null, "admin", $"{post.Id}: {post.Name}, {post.Place}, numbers {post.Prefix}, UTC{FormatOffset(post.UtcOffset)}, remote");
            return 0;
        });
    }

    /// <summary>The transport each remote post is reached through, by post id.</summary>
    public IReadOnlyDictionary<string, string> RemotePosts()
    {
        using var db = CableRead();
        return Rows(db, "SELECT post, transport FROM cable_remote_posts ORDER BY post", r => (r.GetString(0), r.GetString(1)))
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
    }

    /// <summary>The posts that live in this archive (the ones the relay takes telegrams for).</summary>
    public IReadOnlyList<string> LocalPostIds()
    {
        using var db = CableRead();
        return Rows(db, "SELECT id FROM cable_posts WHERE id NOT IN (SELECT post FROM cable_remote_posts) ORDER BY id", r => r.GetString(0));
    }

    /// <summary>Up to <paramref name="max"/> outbox rows for <paramref name="transport"/>, FLASH first, then in sending order.</summary>
    public IReadOnlyList<TransportedTelegram> PendingOutbox(string transport, int max = 512)
    {
        using var db = CableRead();
        return Rows(db, """
            SELECT o.message_id, o.post, o.precedence, m.json, o.queued_at
            FROM cable_outbox o JOIN cable_messages m ON m.id = o.message_id
            WHERE o.transport = $t ORDER BY o.precedence, o.seq LIMIT $n
            """,
            r => new TransportedTelegram(r.GetString(0), r.GetString(1), (Precedence)r.GetInt32(2), r.GetString(3), ParseTime(r.GetString(4))),
            ("$t", transport), ("$n", max));
    }

    /// <summary>Deletes outbox rows the transport has confirmed (committed); returns how many were still there.</summary>
    public int ForgetOutbox(IReadOnlyList<TransportedTelegram> carried)
    {
        if (carried.Count == 0)
        {
            return 0;
        }
        return Writer.Run(db =>
        {
            var delete = Command(db, "DELETE FROM cable_outbox WHERE message_id = $m AND post = $p", ("$m", ""), ("$p", ""));
            var n = 0;
            foreach (var t in carried)
            {
                delete.Parameters["$m"].Value = t.MessageId;
                delete.Parameters["$p"].Value = t.Post;
                n += delete.ExecuteNonQuery();
            }
            return n;
        });
    }

    /// <summary>
    /// Stores telegrams taken from <paramref name="transport"/> for this archive's posts, each with its pending
    /// delivery, in one transaction; the deliverer then delivers and files them as if sent here. A telegram this
    /// archive already holds, or a post that has its receipt already, changes nothing (a replay after a crash).
    /// The sending post is added, marked remote, when this archive does not know it. A telegram this archive refuses
    /// (its number held by another telegram, its post not here, its text unreadable) is parked in
    /// <c>cable_parked</c> with the reason, in the same transaction, so that the traffic behind it goes on.
    /// </summary>
    public TransportArrival ReceiveTransported(string transport, IReadOnlyList<TransportedTelegram> arrived)
    {
        if (arrived.Count == 0)
        {
            return new TransportArrival(0, []);
        }
        var url = CheckTransport(transport);
        return Writer.Run(db =>
        {
            var queued = 0;
            var parked = new List<ParkedTelegram>();
            foreach (var t in arrived)
            {
                // one telegram's refusal undoes only its own writes
                Exec(db, "SAVEPOINT cable_arrival");
                try
                {
                    queued += Arrive(db, t, url);
                    Exec(db, "RELEASE cable_arrival");
                }
                catch (Exception e) when (e is ArchiveException or JsonException or FormatException)
                {
                    Exec(db, "ROLLBACK TO cable_arrival");
                    Exec(db, "RELEASE cable_arrival");
                    db.Forget(); // a post the refused telegram introduced is gone again
                    db.AuditHead = null;
                    parked.Add(Park(db, t, url, e is ArchiveException ? e.Message : $"the transport carried telegram {t.MessageId} with unreadable text: {e.Message}"));
                }
            }
            return new TransportArrival(queued, parked);
        });
    }

    private static int Arrive(CableDb db, TransportedTelegram t, string url)
    {
        if (Scalar(db, "SELECT 1 FROM cable_posts WHERE id = $p AND id NOT IN (SELECT post FROM cable_remote_posts)", ("$p", t.Post)) is null)
        {
            throw new ArchiveException($"the transport carried telegram {t.MessageId} for post {t.Post}, which does not live in this archive");
        }
        var telegram = JsonSerializer.Deserialize<Telegram>(t.Json, DocumentJson.Compact)
            ?? throw new ArchiveException($"the transport carried telegram {t.MessageId} without its text");
        KnowSender(db, telegram, url);
        StoreArrived(db, telegram, t.Json);
        return Command(db, """
            INSERT OR IGNORE INTO cable_deliveries(message_id, post, precedence, queued_at)
            SELECT $m, $p, $prec, $q WHERE NOT EXISTS (SELECT 1 FROM cable_receipts WHERE message_id = $m AND post = $p)
            """,
            ("$m", t.MessageId), ("$p", t.Post), ("$prec", (int)t.Precedence), ("$q", Utc(t.QueuedAt))).ExecuteNonQuery();
    }

    // kept whole (json included) so that nothing the sender acknowledged is lost; a second arrival of the same row keeps the first
    private ParkedTelegram Park(CableDb db, TransportedTelegram t, string url, string reason)
    {
        var number = NumberIn(t.Json);
        var at = CableClock.GetUtcNow();
        Exec(db, """
            INSERT OR IGNORE INTO cable_parked(message_id, post, transport, number, precedence, json, reason, parked_at)
            VALUES($m, $p, $t, $n, $prec, $j, $r, $at)
            """,
            ("$m", t.MessageId), ("$p", t.Post), ("$t", url), ("$n", number), ("$prec", (int)t.Precedence), ("$j", t.Json), ("$r", reason), ("$at", Utc(at)));
        Audit(db, "relay", "cable parked", null, "cable", $"{number ?? "message " + t.MessageId} for {t.Post}: {reason}");
        return new ParkedTelegram(t.MessageId, t.Post, number, reason, at);
    }

    private static string? NumberIn(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Telegram>(json, DocumentJson.Compact)?.Number.ToString();
        }
        catch (Exception e) when (e is JsonException or FormatException or ArchiveException)
        {
            return null;
        }
    }

    /// <summary>Telegrams this archive refused on arrival and parked, oldest first: they wait for an operator.</summary>
    public IReadOnlyList<ParkedTelegram> ParkedTelegrams()
    {
        using var db = CableRead();
        return Rows(db, "SELECT message_id, post, number, reason, parked_at FROM cable_parked ORDER BY parked_at, message_id, post",
            r => new ParkedTelegram(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), ParseTime(r.GetString(4))));
    }

    /// <summary>How many outbox rows wait for the relay.</summary>
    public int OutboxCount()
    {
        using var db = CableRead();
        return Convert.ToInt32(Scalar(db, "SELECT count(*) FROM cable_outbox"), CultureInfo.InvariantCulture);
    }

    private static string? RemoteTransport(CableDb db, string post) =>
        db.Cached("remote " + post, () => Scalar(db, "SELECT transport FROM cable_remote_posts WHERE post = $p", ("$p", post)) as string);

    // only PostgreSQL carries telegrams between archives today (decision 003); its URL is read in full by the relay
    private static string CheckTransport(string transport)
    {
        var url = transport.Trim();
        if (!url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArchiveException($"transport '{url}' is not one Chancery knows: give a postgres://user@host:port/database URL");
        }
        return url;
    }

    private static void InsertRemotePost(CableDb db, Post post, string transport)
    {
        Exec(db, "INSERT INTO cable_posts(id, name, place, prefix, utc_offset, next_serial) VALUES($id, $n, $pl, $p, $o, 1)",
            ("$id", post.Id), ("$n", post.Name), ("$pl", post.Place), ("$p", post.Prefix), ("$o", (int)post.UtcOffset.TotalMinutes));
        Exec(db, "INSERT INTO cable_remote_posts(post, transport) VALUES($p, $t)", ("$p", post.Id), ("$t", transport));
    }

    // inbox, thread and filing look the sender up as a post of this archive
    private static void KnowSender(CableDb db, Telegram telegram, string transport)
    {
        if (LoadPost(db, telegram.FromPost) is { } known)
        {
            if (known.Prefix != telegram.Number.Prefix)
            {
                throw new ArchiveException($"telegram {telegram.Number} comes from post {telegram.FromPost}, which numbers {known.Prefix} in this archive");
            }
            return;
        }
        if (Scalar(db, "SELECT id FROM cable_posts WHERE prefix = $p", ("$p", telegram.Number.Prefix)) is string clash)
        {
            throw new ArchiveException($"telegram {telegram.Number} comes from post {telegram.FromPost}, but post {clash} numbers {telegram.Number.Prefix} in this archive");
        }
        var post = new Post(telegram.FromPost, telegram.FromName, telegram.Place, telegram.Number.Prefix, telegram.Sent.Offset);
        InsertRemotePost(db, post, transport);
        db.Forget();
    }

    private static void StoreArrived(CableDb db, Telegram telegram, string json)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        var named = CableDistribution.NamedPrincipals(telegram.PersonalFor, telegram.Recipients);
        Exec(db, """
            INSERT OR IGNORE INTO cable_messages(id, post, serial, number, sent_at, sent_local, precedence, level, captions, principals, from_name, subject, document_id, json, sha256)
            VALUES($id, $post, $serial, $number, $sent, $local, $prec, $level, $captions, $principals, $from, $subject, $doc, $json, $sha)
            """,
            ("$id", telegram.MessageId), ("$post", telegram.FromPost), ("$serial", telegram.Number.Serial), ("$number", telegram.Number.ToString()),
            ("$sent", Utc(telegram.Sent)), ("$local", telegram.Sent.ToString("O", CultureInfo.InvariantCulture)), ("$prec", (int)telegram.Precedence),
            ("$level", (int)telegram.Classification), ("$captions", JsonSerializer.Serialize(telegram.Captions)), ("$principals", JsonSerializer.Serialize(named)),
            ("$from", telegram.FromName), ("$subject", telegram.Subject), ("$doc", telegram.DocumentId), ("$json", json), ("$sha", sha));
        // INSERT OR IGNORE also ignores a clash on the number: a different telegram under the same number is refused, not merged
        if (Scalar(db, "SELECT id FROM cable_messages WHERE number = $n", ("$n", telegram.Number.ToString())) as string != telegram.MessageId)
        {
            throw new ArchiveException($"telegram {telegram.Number} arrived as message {telegram.MessageId}, but this archive holds another telegram under that number");
        }
        foreach (var r in telegram.References)
        {
            Exec(db, "INSERT OR IGNORE INTO cable_refs(message_id, cited) VALUES($m, $n)", ("$m", telegram.MessageId), ("$n", r.ToString()));
        }
    }
}

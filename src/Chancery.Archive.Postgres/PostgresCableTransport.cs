using System.Net.Sockets;
using Chancery.Archive.Cables;
using Chancery.Archive.Sqlite;
using Chancery.Core.Cables;
using Npgsql;
using NpgsqlTypes;

namespace Chancery.Archive.Postgres;

/// <summary>
/// PostgreSQL as the transport between archives on several machines (docs/decisions/003-cable-transport.md): one
/// table <c>cable_transport</c> keyed by message id + post. Senders insert with ON CONFLICT DO NOTHING; a receiver
/// takes rows for its posts FOR UPDATE SKIP LOCKED in precedence order, commits its own archive, and only then
/// deletes them. A crash between the two leaves the rows to be taken again, and the receiving archive's idempotent
/// receipt makes the repeat change nothing.
/// </summary>
public sealed class PostgresCableTransport : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS cable_transport(
            message_id text NOT NULL,
            post text NOT NULL,
            precedence int NOT NULL,
            json text NOT NULL,
            queued_at timestamptz NOT NULL,
            PRIMARY KEY(message_id, post));
        CREATE INDEX IF NOT EXISTS cable_transport_take ON cable_transport(post, precedence, queued_at);
        """;

    // the NOTIFY channel senders signal on and receivers LISTEN to
    private const string Channel = "chancery_cable_transport";

    private readonly NpgsqlDataSource _source;
    private bool _schemaReady;
    private NpgsqlConnection? _listener;

    /// <summary>Opens the transport at <paramref name="url"/> (<c>postgres://user@host:port/database</c>); nothing is contacted yet.</summary>
    public PostgresCableTransport(string url)
    {
        Url = url;
        _source = NpgsqlDataSource.Create(PostgresUrl.ToConnectionString(url));
    }

    /// <summary>The transport URL as declared.</summary>
    public string Url { get; }

    /// <summary>Inserts telegrams in one transaction (a row already there is left as it is); returns how many were new.</summary>
    public int Push(IReadOnlyList<TransportedTelegram> telegrams)
    {
        if (telegrams.Count == 0)
        {
            return 0;
        }
        return Guarded(() =>
        {
            using var c = Open();
            using var t = c.BeginTransaction();
            // the sender forgets its outbox rows once this commit returns, so the commit must be on disk by then even on
            // a server that runs with synchronous_commit off (bench cables-transport-kill lost 38 of 2,000 telegrams
            // to three crashes of such a server before this)
            using (var durable = new NpgsqlCommand("SET LOCAL synchronous_commit = on", c, t))
            {
                durable.ExecuteNonQuery();
            }
            using var cmd = new NpgsqlCommand("""
                INSERT INTO cable_transport(message_id, post, precedence, json, queued_at)
                SELECT * FROM unnest(@m, @p, @prec, @j, @q) ON CONFLICT DO NOTHING
                """, c, t);
            cmd.Parameters.Add(new NpgsqlParameter("m", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = telegrams.Select(x => x.MessageId).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("p", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = telegrams.Select(x => x.Post).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("prec", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = telegrams.Select(x => (int)x.Precedence).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("j", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = telegrams.Select(x => x.Json).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("q", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = telegrams.Select(x => x.QueuedAt.ToUniversalTime()).ToArray() });
            var n = cmd.ExecuteNonQuery();
            if (n > 0)
            {
                // delivered at commit: a receiver waiting in WaitForTraffic takes the rows now instead of at its next poll
                using var notify = new NpgsqlCommand($"NOTIFY {Channel}", c, t);
                notify.ExecuteNonQuery();
            }
            t.Commit();
            return n;
        });
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> telegrams for <paramref name="posts"/>, FLASH first, locking them against
    /// other receivers; calls <paramref name="store"/> with them, and deletes them only after it returned. When
    /// <paramref name="store"/> throws nothing is deleted and the rows are free to be taken again. Returns how many
    /// were taken.
    /// </summary>
    public int Take(IReadOnlyList<string> posts, int max, Action<IReadOnlyList<TransportedTelegram>> store)
    {
        if (posts.Count == 0 || max < 1)
        {
            return 0;
        }
        return Guarded(() =>
        {
            using var c = Open();
            using var t = c.BeginTransaction();
            var taken = new List<TransportedTelegram>();
            using (var select = new NpgsqlCommand("""
                SELECT message_id, post, precedence, json, queued_at FROM cable_transport
                WHERE post = ANY(@posts) ORDER BY precedence, queued_at, message_id LIMIT @n FOR UPDATE SKIP LOCKED
                """, c, t))
            {
                select.Parameters.AddWithValue("posts", posts.ToArray());
                select.Parameters.AddWithValue("n", max);
                using var r = select.ExecuteReader();
                while (r.Read())
                {
                    taken.Add(new TransportedTelegram(r.GetString(0), r.GetString(1), (Precedence)r.GetInt32(2), r.GetString(3),
                        new DateTimeOffset(r.GetDateTime(4), TimeSpan.Zero)));
                }
            }
            if (taken.Count == 0)
            {
                return 0;
            }
            store(taken);
            using (var delete = new NpgsqlCommand("DELETE FROM cable_transport t USING unnest(@m, @p) AS d(m, p) WHERE t.message_id = d.m AND t.post = d.p", c, t))
            {
                delete.Parameters.AddWithValue("m", taken.Select(x => x.MessageId).ToArray());
                delete.Parameters.AddWithValue("p", taken.Select(x => x.Post).ToArray());
                delete.ExecuteNonQuery();
            }
            t.Commit();
            return taken.Count;
        });
    }

    /// <summary>How many telegrams the transport holds for <paramref name="post"/> (all posts when null).</summary>
    public long Count(string? post = null) => Guarded(() =>
    {
        using var c = Open();
        using var cmd = new NpgsqlCommand("SELECT count(*) FROM cable_transport WHERE @p::text IS NULL OR post = @p", c);
        cmd.Parameters.Add(new NpgsqlParameter("p", NpgsqlDbType.Text) { Value = (object?)post ?? DBNull.Value });
        return (long)cmd.ExecuteScalar()!;
    });

    /// <summary>
    /// One pass of the relay for <paramref name="archive"/>: carries its outbox for this transport (commit here,
    /// then forget there) and receives what waits for its own posts (commit the archive, then delete here), in
    /// batches of <paramref name="batch"/> until both are empty. Returns (sent on, received).
    /// </summary>
    public RelayPass Relay(SqliteArchive archive, int batch = 512)
    {
        var pushed = 0;
        for (var rows = archive.PendingOutbox(Url, batch); rows.Count > 0; rows = archive.PendingOutbox(Url, batch))
        {
            Push(rows);
            pushed += rows.Count;
            archive.ForgetOutbox(rows);
        }
        var taken = 0;
        var parked = new List<ParkedTelegram>();
        var local = archive.LocalPostIds();
        void Store(IReadOnlyList<TransportedTelegram> rows) => parked.AddRange(archive.ReceiveTransported(Url, rows).Parked);
        for (var n = Take(local, batch, Store); n > 0; n = Take(local, batch, Store))
        {
            taken += n;
        }
        return new RelayPass(pushed, taken - parked.Count, parked);
    }

    /// <summary>
    /// Waits until a sender pushes telegrams to this transport (PostgreSQL <c>LISTEN</c>/<c>NOTIFY</c>) or
    /// <paramref name="timeout"/> passes; true when woken by a push. The first call starts listening on a
    /// connection kept for the purpose, so pushes between two calls are not missed (a zero timeout only starts
    /// listening); a lost connection is opened again at the next call.
    /// </summary>
    public bool WaitForTraffic(TimeSpan timeout) => Guarded(() =>
    {
        if (_listener is null)
        {
            var c = Open();
            try
            {
                using var listen = new NpgsqlCommand($"LISTEN {Channel}", c);
                listen.ExecuteNonQuery();
            }
            catch
            {
                c.Dispose();
                throw;
            }
            _listener = c;
        }
        if (timeout <= TimeSpan.Zero)
        {
            return false; // Npgsql reads a zero timeout as "wait for ever"
        }
        try
        {
            var woken = _listener.Wait(timeout);
            // several pushes wake once: what they carried is all taken by the next pass
            while (woken && _listener.Wait(1))
            {
            }
            return woken;
        }
        catch
        {
            _listener.Dispose();
            _listener = null;
            throw;
        }
    });

    /// <inheritdoc />
    public void Dispose()
    {
        _listener?.Dispose();
        _source.Dispose();
    }

    private NpgsqlConnection Open()
    {
        var c = _source.OpenConnection();
        if (!_schemaReady)
        {
            using var cmd = new NpgsqlCommand(Schema, c);
            cmd.ExecuteNonQuery();
            _schemaReady = true;
        }
        return c;
    }

    // an unreachable or refusing server is the user's one-line error, not a stack trace
    private T Guarded<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            throw new ArchiveException($"cable transport {PostgresUrl.Redact(Url)}: {FirstLine(e.Message)}", e);
        }
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}

/// <summary>What one pass of <see cref="PostgresCableTransport.Relay"/> moved.</summary>
/// <param name="Pushed">Outbox rows carried to the transport.</param>
/// <param name="Received">Telegrams taken from the transport and stored in the archive.</param>
/// <param name="Parked">Telegrams taken from the transport that the archive refused and parked.</param>
public sealed record RelayPass(int Pushed, int Received, IReadOnlyList<ParkedTelegram> Parked)
{
    /// <summary>True when the pass moved anything.</summary>
    public bool Moved => Pushed + Received + Parked.Count > 0;
}

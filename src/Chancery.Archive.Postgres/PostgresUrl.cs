using Npgsql;

namespace Chancery.Archive.Postgres;

/// <summary>
/// Turns the archive address users type (<c>postgres://user:password@host:port/database?sslmode=require</c>, or
/// <c>postgresql://…</c>) into an Npgsql connection string. An Npgsql keyword string (<c>Host=…;Database=…</c>) is
/// accepted as it is. What the URL leaves out (user, password, host) Npgsql takes from PGUSER, PGPASSWORD,
/// ~/.pgpass and PGHOST, as libpq does.
/// </summary>
public static class PostgresUrl
{
    /// <summary>True when <paramref name="location"/> names a PostgreSQL archive rather than a folder.</summary>
    public static bool IsPostgres(string location) =>
        location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    // libpq's query parameters and the Npgsql keywords they mean; anything else is refused rather than ignored
    private static readonly Dictionary<string, string> Options = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
        ["host"] = "Host",
        ["port"] = "Port",
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
        ["passfile"] = "Passfile",
        ["search_path"] = "Search Path",
        ["command_timeout"] = "Command Timeout",
        ["pooling"] = "Pooling",
        ["max_pool_size"] = "Maximum Pool Size",
    };

    /// <summary>The Npgsql connection string for a URL; throws <see cref="ArchiveException"/> for one it cannot read.</summary>
    public static string ToConnectionString(string url)
    {
        if (!IsPostgres(url))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(url).ConnectionString;
            }
            catch (ArgumentException e)
            {
                throw new ArchiveException($"cannot read the archive address {Redact(url)}: {e.Message}", e);
            }
        }
        Uri uri;
        try
        {
            // Uri cannot parse the scheme-relative host-less form postgres:///db, so give it a placeholder host
            uri = new Uri(url.Contains(":///", StringComparison.Ordinal) ? url.Replace(":///", "://\u0001/", StringComparison.Ordinal) : url);
        }
        catch (UriFormatException e)
        {
            throw new ArchiveException($"cannot read the archive address {Redact(url)}: {e.Message} (expected postgres://user@host:port/database)", e);
        }
        var b = new NpgsqlConnectionStringBuilder();
        var host = uri.Host.Trim('[', ']');
        if (host.Length > 0 && host != "\u0001")
        {
            b.Host = Uri.UnescapeDataString(host);
        }
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            b.Port = uri.Port;
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            if (parts[0].Length > 0)
            {
                b.Username = Uri.UnescapeDataString(parts[0]);
            }
            if (parts.Length == 2)
            {
                b.Password = Uri.UnescapeDataString(parts[1]);
            }
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length > 0)
        {
            b.Database = database;
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (!Options.TryGetValue(key, out var keyword))
            {
                throw new ArchiveException($"the archive address {Redact(url)} has an option this Chancery does not know: {key} (known: {string.Join(", ", Options.Keys)})");
            }
            try
            {
                b[keyword] = value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                throw new ArchiveException($"the archive address {Redact(url)} has a bad value for {key}: {e.Message}", e);
            }
        }
        return b.ConnectionString;
    }

    /// <summary>The address with any password replaced by <c>***</c>, for messages and <see cref="IArchive.Location"/>.</summary>
    public static string Redact(string url)
    {
        if (!IsPostgres(url))
        {
            try
            {
                var b = new NpgsqlConnectionStringBuilder(url);
                if (b.Password is not null)
                {
                    b.Password = "***";
                }
                return b.ConnectionString;
            }
            catch (ArgumentException)
            {
                return "(an unreadable connection string)";
            }
        }
        var scheme = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var at = url.IndexOf('@', scheme);
        var slash = url.IndexOf('/', scheme);
        if (at < 0 || (slash >= 0 && slash < at))
        {
            return RedactQuery(url);
        }
        var colon = url.IndexOf(':', scheme);
        return RedactQuery(colon >= 0 && colon < at ? url[..(colon + 1)] + "***" + url[at..] : url);
    }

    private static string RedactQuery(string url)
    {
        var q = url.IndexOf('?');
        if (q < 0)
        {
            return url;
        }
        var pairs = url[(q + 1)..].Split('&').Select(p =>
            p.StartsWith("password=", StringComparison.OrdinalIgnoreCase) || p.StartsWith("sslpassword=", StringComparison.OrdinalIgnoreCase)
                ? p[..(p.IndexOf('=') + 1)] + "***" : p);
        return url[..(q + 1)] + string.Join('&', pairs);
    }
}

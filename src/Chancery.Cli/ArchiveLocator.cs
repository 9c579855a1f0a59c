using Chancery.Archive;
using Chancery.Archive.Sqlite;

namespace Chancery.Cli;

/// <summary>Turns <c>--archive PATH|URL</c> into an open archive: a folder is SQLite, a postgres:// URL is PostgreSQL.</summary>
public static class ArchiveLocator
{
    /// <summary>The folder used when neither <c>--archive</c> nor CHANCERY_ARCHIVE says otherwise.</summary>
    public const string DefaultLocation = "./chancery-data";

    /// <summary>The location to use: the option, else the CHANCERY_ARCHIVE variable, else <see cref="DefaultLocation"/>.</summary>
    public static string Resolve(string? location, IReadOnlyDictionary<string, string> environment) =>
        !string.IsNullOrWhiteSpace(location) ? location
        : environment.TryGetValue("CHANCERY_ARCHIVE", out var env) && !string.IsNullOrWhiteSpace(env) ? env
        : DefaultLocation;

    /// <summary>True for the URL forms a PostgreSQL archive is named by.</summary>
    public static bool IsPostgres(string location) =>
        location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Opens the archive at <paramref name="location"/> (null: <see cref="DefaultLocation"/>).
    /// With <paramref name="mustExist"/>, a folder that is not there is an error instead of a new empty archive,
    /// so that a mistyped path for a read does not silently create one. <paramref name="indexDir"/> is a PostgreSQL
    /// archive's search index folder (null: CHANCERY_INDEX_DIR, else the default under the user's cache).
    /// </summary>
    public static IArchive Open(string? location, bool mustExist = false, string? indexDir = null)
    {
        location = string.IsNullOrWhiteSpace(location) ? DefaultLocation : location;
        return IsPostgresElseFolder(location, mustExist) ? OpenPostgres(location, indexDir) : SqliteArchive.Open(location);
    }

    /// <summary>
    /// The archive at <paramref name="location"/> as a snapshot for <c>chancery copy</c> to read, opened so that
    /// nothing is written into it (no migration, no links rebuild): it may be read-only, and stays as it was.
    /// </summary>
    public static ArchiveSnapshot ReadForCopy(string location) =>
        IsPostgresElseFolder(location, mustExist: true) ? Chancery.Archive.Postgres.PostgresArchive.ReadForCopy(location) : SqliteArchive.ReadForCopy(location);

    // True for a PostgreSQL URL; for anything else, refuses what cannot be an archive folder (another URL, a file,
    // and with mustExist a folder that is not there) and returns false.
    private static bool IsPostgresElseFolder(string location, bool mustExist)
    {
        if (IsPostgres(location))
        {
            return true;
        }
        if (location.Contains("://", StringComparison.Ordinal))
        {
            throw new CliException($"unknown archive URL {location} (use a folder path or postgres://USER@HOST:PORT/DATABASE)");
        }
        if (File.Exists(location))
        {
            throw new CliException($"{location} is a file; an archive is a folder");
        }
        if (mustExist && !Directory.Exists(location))
        {
            throw new CliException($"no archive at {location} (create one with `chancery ingest` or `chancery demo`, or pass --archive)");
        }
        return false;
    }

    // The one place the CLI chooses the PostgreSQL store.
    private static IArchive OpenPostgres(string url, string? indexDir) => Chancery.Archive.Postgres.PostgresArchive.Open(url, indexDir);

    /// <summary>Hides a password in a URL before it goes into a message.</summary>
    internal static string RedactPassword(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            return url;
        }
        var user = uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)];
        return url.Replace(uri.UserInfo + "@", user + ":***@", StringComparison.Ordinal);
    }
}

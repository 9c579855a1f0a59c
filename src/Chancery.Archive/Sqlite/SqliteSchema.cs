namespace Chancery.Archive.Sqlite;

/// <summary>
/// The embedded archive's tables. Documents are stored whole (compact JSON) plus the columns that search,
/// facets and access need; the access columns (release, level, controls) are what every query filters on.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>The schema version this build writes; an archive with a newer one is refused.</summary>
    public const int Version = 1;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS volumes(
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            ingested TEXT NOT NULL,
            document_count INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            meta TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS documents(
            key INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            volume TEXT NOT NULL,
            seq INTEGER NOT NULL,
            number TEXT,
            type TEXT NOT NULL,
            title TEXT NOT NULL,
            sender TEXT,
            recipient TEXT,
            place TEXT,
            date_min TEXT,
            date_max TEXT,
            classification TEXT,
            level INTEGER NOT NULL,
            controls INTEGER NOT NULL,
            release INTEGER NOT NULL,
            file_numbers TEXT NOT NULL,
            persons TEXT NOT NULL,
            telegram_number TEXT,
            json TEXT NOT NULL,
            sha256 TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS documents_volume ON documents(volume, seq);
        CREATE INDEX IF NOT EXISTS documents_date ON documents(date_min, key);
        -- the few documents released with excisions are looked up on every links page
        CREATE INDEX IF NOT EXISTS documents_release ON documents(release);
        CREATE TABLE IF NOT EXISTS controls(name TEXT PRIMARY KEY, bit INTEGER NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS users(
            name TEXT PRIMARY KEY,
            clearance INTEGER NOT NULL,
            controls TEXT NOT NULL,
            created TEXT NOT NULL,
            password_hash TEXT);
        CREATE TABLE IF NOT EXISTS tokens(hash TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE, created TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS reviews(
            seq INTEGER PRIMARY KEY,
            document TEXT NOT NULL,
            action TEXT NOT NULL,
            excisions TEXT NOT NULL,
            reason TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            time TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS reviews_document ON reviews(document, seq);
        CREATE TABLE IF NOT EXISTS audit(
            seq INTEGER PRIMARY KEY,
            time TEXT NOT NULL,
            user TEXT NOT NULL,
            action TEXT NOT NULL,
            document TEXT,
            surface TEXT NOT NULL,
            detail TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL);
        """;
}

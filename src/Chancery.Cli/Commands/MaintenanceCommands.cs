using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Chancery.Archive;
using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Cli.Output;

namespace Chancery.Cli.Commands;

/// <summary><c>chancery check</c>, <c>migrate</c>, <c>backup</c> and <c>restore</c>: keeping an archive sound.</summary>
public static class MaintenanceCommands
{
    public static Command Check(Globals g)
    {
        var json = Globals.JsonOption();
        var command = new Command("check", "Check the archive's integrity: counts and content hashes") { json };
        g.Handle(command, (parse, session) =>
        {
            var report = session.ExistingArchive.Check();
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, new { ok = report.Ok, volumes = report.Volumes, documents = report.Documents, problems = report.Problems });
                return report.Ok ? ExitCodes.Ok : ExitCodes.Failed;
            }
            var counts = $"{Ingester.Count(report.Volumes, "volume")}, {Ingester.Count(report.Documents, "document")}";
            if (report.Ok)
            {
                output.WriteLine($"archive ok: {counts}");
                return ExitCodes.Ok;
            }
            foreach (var problem in report.Problems)
            {
                output.WriteLine(problem);
            }
            session.Terminal.Err.WriteLine($"chancery: archive check found {Ingester.Count(report.Problems.Count, "problem")} ({counts})");
            return ExitCodes.Failed;
        });
        return command;
    }

    public static Command Migrate(Globals g)
    {
        var command = new Command("migrate", "Bring a PostgreSQL archive's schema up to this build (SQLite archives migrate when opened)");
        g.Handle(command, (parse, session) =>
        {
            if (!ArchiveLocator.IsPostgres(session.Location))
            {
                _ = session.ExistingArchive;
                session.Terminal.Out.WriteLine($"{session.Location} is up to date (SQLite archives migrate when opened)");
                return ExitCodes.Ok;
            }
            var applied = PostgresArchive.Migrate(session.Location);
            var location = ArchiveLocator.RedactPassword(session.Location);
            session.Terminal.Out.WriteLine(applied.Count == 0
                ? $"{location} is up to date"
                : $"{location}: applied {Ingester.Count(applied.Count, "migration")} ({string.Join(", ", applied)})");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Backup(Globals g)
    {
        var path = new Argument<string>("PATH") { Description = "An empty or new folder to write the backup to" };
        var command = new Command("backup", "Write a consistent copy of the archive to PATH while it is in use, and verify it") { path };
        g.Handle(command, (parse, session) =>
        {
            RefusePostgres(session, "backed up", "pg_dump --format=custom --file=FILE URL");
            var archive = (SqliteArchive)session.ExistingArchive;
            var target = parse.GetValue(path)!;
            archive.Backup(target);
            var (report, hashes) = SqliteArchive.VerifyBackup(target);
            if (!report.Ok)
            {
                throw new CliException($"the backup in {target} fails its check: {report.Problems[0]}", ExitCodes.Failed);
            }
            session.Terminal.Out.WriteLine($"backed up {Summary(report, hashes)} to {target}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Restore(Globals g)
    {
        var path = new Argument<string>("PATH") { Description = "A folder written by `chancery backup`" };
        var command = new Command("restore", "Replace the archive with a verified backup, atomically (stop servers and commands on it first)") { path };
        g.Handle(command, (parse, session) =>
        {
            RefusePostgres(session, "restored", "pg_restore --clean --if-exists --dbname=URL FILE");
            if (File.Exists(session.Location))
            {
                throw new CliException($"{session.Location} is a file; an archive is a folder");
            }
            // the session never opens the archive: restore must find it closed
            var (report, hashes) = SqliteArchive.Restore(parse.GetValue(path)!, session.Location);
            session.Terminal.Out.WriteLine($"restored {Summary(report, hashes)} from {parse.GetValue(path)} into {session.Location}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void RefusePostgres(Session session, string verb, string tool)
    {
        if (ArchiveLocator.IsPostgres(session.Location))
        {
            throw new CliException($"a PostgreSQL archive is {verb} with PostgreSQL's own tools: {tool} (see docs/reliability.md)");
        }
    }

    // counts, the check's verdict and one digest of all volume content hashes, to compare a backup with its source
    private static string Summary(CheckReport report, IReadOnlyDictionary<string, string> hashes)
    {
        var text = string.Join('\n', hashes.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key} {h.Value}"));
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        return $"{Ingester.Count(report.Volumes, "volume")}, {Ingester.Count(report.Documents, "document")} (check ok, content digest {digest})";
    }
}

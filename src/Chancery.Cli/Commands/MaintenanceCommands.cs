using System.CommandLine;
using Chancery.Archive.Postgres;
using Chancery.Cli.Output;

namespace Chancery.Cli.Commands;

/// <summary><c>chancery check</c> and <c>chancery migrate</c>: keeping an archive sound.</summary>
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
}

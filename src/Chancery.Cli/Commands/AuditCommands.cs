using System.CommandLine;
using System.Globalization;
using Chancery.Cli.Output;

namespace Chancery.Cli.Commands;

/// <summary><c>chancery audit list|verify</c>: the archive's own record of who read and decided what.</summary>
public static class AuditCommands
{
    public static Command Create(Globals g)
    {
        var command = new Command("audit", "Read and verify the audit trail");
        command.Subcommands.Add(List(g));
        command.Subcommands.Add(Verify(g));
        return command;
    }

    private static Command List(Globals g)
    {
        var user = new Option<string?>("--user") { Description = "Only entries by this user", HelpName = "NAME" };
        var document = new Option<string?>("--document") { Description = "Only entries about this document", HelpName = "ID" };
        var limit = new Option<int>("--limit") { Description = "The most recent N entries", HelpName = "N", DefaultValueFactory = _ => 50 };
        var json = Globals.JsonOption();
        var command = new Command("list", "List the most recent audit entries, oldest of them first") { user, document, limit, json };
        g.Handle(command, (parse, session) =>
        {
            var n = parse.GetValue(limit);
            if (n < 1)
            {
                throw new CliException("--limit must be 1 or more");
            }
            var documentId = parse.GetValue(document) is { } typed ? Session.NormaliseDocumentId(typed) : null;
            var entries = session.ExistingArchive.ListAudit(parse.GetValue(user), documentId, n);
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, entries);
                return ExitCodes.Ok;
            }
            if (entries.Count == 0)
            {
                output.WriteLine("no audit entries");
                return ExitCodes.Ok;
            }
            var table = new TextTable("SEQ", "TIME", "USER", "ACTION", "DOCUMENT", "SURFACE", "DETAIL").AlignRight(0);
            foreach (var e in entries)
            {
                table.Add(e.Sequence.ToString(CultureInfo.InvariantCulture), e.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    e.User, e.Action, e.DocumentId ?? "-", e.Surface, e.Detail);
            }
            table.Write(output);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify(Globals g)
    {
        var json = Globals.JsonOption();
        var command = new Command("verify", "Check the audit trail's hash chain from the first entry to the last") { json };
        g.Handle(command, (parse, session) =>
        {
            var result = session.ExistingArchive.VerifyAudit();
            if (parse.GetValue(json))
            {
                Json.Write(session.Terminal.Out, new { ok = result.Ok, entries = result.Entries, problem = result.Problem });
                return result.Ok ? ExitCodes.Ok : ExitCodes.Failed;
            }
            if (!result.Ok)
            {
                session.Terminal.Err.WriteLine($"chancery: audit trail NOT verified: {result.Problem ?? "unknown problem"}");
                return ExitCodes.Failed;
            }
            session.Terminal.Out.WriteLine($"audit trail verified: {Ingester.Count(result.Entries, "entry", "entries")}");
            return ExitCodes.Ok;
        });
        return command;
    }
}

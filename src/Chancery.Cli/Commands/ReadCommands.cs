using System.CommandLine;
using System.Text.Json;
using Chancery.Archive;
using Chancery.Cli.Output;
using Chancery.Core.Access;
using Chancery.Core.Export;

namespace Chancery.Cli.Commands;

/// <summary><c>volumes</c>, <c>show</c> and <c>export</c>: reading what the <c>--as</c> reader may see.</summary>
public static class ReadCommands
{
    public static Command Volumes(Globals g)
    {
        var json = Globals.JsonOption();
        var command = new Command("volumes", "List volumes with their document counts and date ranges") { json };
        g.Handle(command, (parse, session) =>
        {
            var archive = session.ExistingArchive;
            var volumes = archive.ListVolumes(session.Reader(archive));
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, volumes.Select(v => new { id = v.Id, title = v.Title, documentCount = v.DocumentCount, dateFrom = v.DateFrom, dateTo = v.DateTo }));
                return ExitCodes.Ok;
            }
            if (volumes.Count == 0)
            {
                output.WriteLine($"no volumes in {session.Location} (add some with `chancery ingest`)");
                return ExitCodes.Ok;
            }
            var table = new TextTable("VOLUME", "DOCUMENTS", "DATES", "TITLE").AlignRight(1);
            foreach (var v in volumes)
            {
                table.Add(v.Id, v.DocumentCount.ToString(System.Globalization.CultureInfo.InvariantCulture), DateRange(v.DateFrom, v.DateTo), v.Title);
            }
            table.Write(output);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Show(Globals g)
    {
        var id = DocumentArgument();
        var json = Globals.JsonOption();
        var command = new Command("show", "Show a document laid out as FRUS prints it") { id, json };
        g.Handle(command, (parse, session) =>
        {
            var view = Read(session, parse.GetValue(id)!);
            var terminal = session.Terminal;
            if (parse.GetValue(json))
            {
                terminal.Out.WriteLine(JsonSerializer.Serialize(view, DocumentJson.Indented));
                return ExitCodes.Ok;
            }
            terminal.Out.Write(EndWithNewline(TextExporter.WriteTerminal(view.Document, terminal.Width)));
            if (view.Release is not ReleaseState.Released)
            {
                // a cleared reader must not mistake a withheld original for released text
                terminal.Out.WriteLine();
                terminal.Out.WriteLine(view.IsOriginal
                    ? $"[{Markings.Printed(view.Marking.Level)} original; {Release(view.Release)}]"
                    : $"[{Release(view.Release)}]");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Export(Globals g)
    {
        var id = DocumentArgument();
        var format = new Option<string>("--format") { Description = "json, tei or text", HelpName = "FORMAT", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "tei", "text");
        var command = new Command("export", "Write a document as JSON, TEI or plain text (what the reader may see)") { id, format };
        g.Handle(command, (parse, session) =>
        {
            var document = Read(session, parse.GetValue(id)!).Document;
            var text = parse.GetValue(format) switch
            {
                "tei" => TeiExporter.Write(document),
                "text" => TextExporter.Write(document),
                _ => DocumentJson.Serialize(document),
            };
            session.Terminal.Out.Write(EndWithNewline(text));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The document argument: <c>vol#d1</c> or <c>vol/d1</c>.</summary>
    public static Argument<string> DocumentArgument() =>
        new("ID") { Description = "A document id: frus1945Berlinv01#d578 (or frus1945Berlinv01/d578)" };

    /// <summary>
    /// The document as the session's reader may see it. Missing and not-readable are one answer: the same
    /// message and exit code, so the CLI does not reveal that a withheld document exists.
    /// </summary>
    public static DocumentView Read(Session session, string typedId)
    {
        var id = Session.NormaliseDocumentId(typedId);
        var archive = session.ExistingArchive;
        var reader = session.Reader(archive);
        return archive.GetDocument(id, reader, Session.Surface) ?? throw Session.DocumentNotFound(id);
    }

    internal static string Release(ReleaseState state) => state switch
    {
        ReleaseState.Released => "released",
        ReleaseState.ReleasedWithExcisions => "released with excisions",
        ReleaseState.Withheld => "withheld",
        ReleaseState.PendingReview => "pending review",
        _ => state.ToString(),
    };

    private static string DateRange(string? from, string? to) =>
        from is null && to is null ? "-" : from == to || to is null ? from! : from is null ? to : $"{from} – {to}";

    private static string EndWithNewline(string text) => text.EndsWith('\n') ? text : text + "\n";
}

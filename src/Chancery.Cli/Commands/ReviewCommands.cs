using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Chancery.Archive;
using Chancery.Cli.Output;

namespace Chancery.Cli.Commands;

/// <summary>
/// <c>chancery review release ID [--excise SPAN...] [--reason TEXT]</c> and <c>review withhold ID [--reason TEXT]</c>:
/// declassification decisions by the <c>--as</c> user.
/// </summary>
public static partial class ReviewCommands
{
    public static Command Create(Globals g)
    {
        var command = new Command("review", "Record declassification decisions (as the --as user)");
        command.Subcommands.Add(Decide(g, ReviewAction.Release));
        command.Subcommands.Add(Decide(g, ReviewAction.Withhold));
        return command;
    }

    private static Command Decide(Globals g, ReviewAction action)
    {
        var id = ReadCommands.DocumentArgument();
        var reason = new Option<string?>("--reason") { Description = "Why (recorded with the decision and in the audit trail)", HelpName = "TEXT" };
        var json = Globals.JsonOption();
        Option<string[]>? excise = null;
        Command command;
        if (action == ReviewAction.Release)
        {
            excise = new Option<string[]>("--excise")
            {
                Description = "Withhold part of the released text: N (body paragraph N, from 1) or N:START-END (characters of paragraph N)",
                HelpName = "SPAN",
                AllowMultipleArgumentsPerToken = true,
            };
            command = new Command("release", "Release a document, optionally with excisions") { id, excise, reason, json };
        }
        else
        {
            command = new Command("withhold", "Withhold a document") { id, reason, json };
        }
        g.Handle(command, (parse, session) =>
        {
            var documentId = Session.NormaliseDocumentId(parse.GetValue(id)!);
            var spans = (excise is null ? [] : parse.GetValue(excise) ?? []).Select(ParseSpan).ToList();
            var archive = session.ExistingArchive;
            var reviewer = session.User(archive) ?? throw new CliException("the public may not review: name the reviewer with --as NAME");
            var record = archive.Review(new ReviewDecision(documentId, action, spans, parse.GetValue(reason) ?? ""), reviewer)
                ?? throw Session.DocumentNotFound(documentId);
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, new
                {
                    documentId = record.DocumentId,
                    action = record.Action == ReviewAction.Release ? "release" : "withhold",
                    excisions = record.Excisions.Select(s => s.ToString()),
                    reason = record.Reason,
                    reviewer = record.Reviewer,
                    time = record.Time,
                });
                return ExitCodes.Ok;
            }
            var what = record.Action == ReviewAction.Withhold ? "withheld"
                : record.Excisions.Count == 0 ? "released"
                : $"released with {Ingester.Count(record.Excisions.Count, "excision")} ({string.Join(", ", record.Excisions)})";
            output.WriteLine($"{record.DocumentId}: {what} by {record.Reviewer}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Parses <c>N</c> or <c>N:START-END</c> (paragraph from 1; START before END).</summary>
    public static ExciseSpan ParseSpan(string text)
    {
        var m = SpanPattern().Match(text.Trim());
        if (!m.Success
            || !int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var paragraph)
            || paragraph < 1)
        {
            throw BadSpan(text);
        }
        if (!m.Groups[2].Success)
        {
            return new ExciseSpan(paragraph);
        }
        if (!int.TryParse(m.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !int.TryParse(m.Groups[3].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            || end <= start)
        {
            throw BadSpan(text);
        }
        return new ExciseSpan(paragraph, start, end);
    }

    private static CliException BadSpan(string text) =>
        new($"bad excision span \"{text}\" (use N for body paragraph N, from 1, or N:START-END for characters START to END of it)");

    [GeneratedRegex(@"^(\d{1,6})(?::(\d{1,9})-(\d{1,9}))?$")]
    private static partial Regex SpanPattern();
}

using System.CommandLine;
using System.Globalization;
using Chancery.Archive;
using Chancery.Cli.Output;
using Chancery.Core.Documents;
using Chancery.Core.Files;

namespace Chancery.Cli.Commands;

/// <summary>
/// <c>thread</c>, <c>links</c>, <c>links report</c>, <c>file</c>, <c>person</c> and <c>graph</c>: following a document's
/// references, its telegram thread, the decimal file and people, always as the <c>--as</c> reader may see them.
/// </summary>
public static class LinkCommands
{
    public static Command Thread(Globals g)
    {
        var id = ReadCommands.DocumentArgument();
        var json = Globals.JsonOption();
        var command = new Command("thread", "Print the telegrams citing each other around a document, as a timeline") { id, json };
        g.Handle(command, (parse, session) =>
        {
            var (links, reader) = Open(session);
            var typed = Session.NormaliseDocumentId(parse.GetValue(id)!);
            var thread = links.GetThread(typed, reader);
            if (thread.Count == 0)
            {
                throw Session.DocumentNotFound(typed);
            }
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, thread);
                return ExitCodes.Ok;
            }
            output.WriteLine($"thread of {typed}: {Ingester.Count(thread.Count, "document")}");
            foreach (var e in thread)
            {
                var number = e.TelegramNumber is null ? "" : $"  No. {e.TelegramNumber}";
                output.WriteLine($"{Day(e.Date)}  {Party(e.From)} → {Party(e.To)}{number}  {e.Id}");
                output.WriteLine($"            {(e.FirstLine.Length > 0 ? e.FirstLine : e.Title)}");
            }
            if (thread.Count == 1)
            {
                output.WriteLine("(no telegram in the archive cites this one or is cited by it)");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Links(Globals g)
    {
        var id = new Argument<string?>("ID")
        {
            Description = "A document id: frus1945Berlinv01#d578 (or frus1945Berlinv01/d578)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = Globals.JsonOption();
        var command = new Command("links", "What a document cites and what cites it (`links report`: how references resolved per volume)") { id, json, Report(g) };
        g.Handle(command, (parse, session) =>
        {
            if (parse.GetValue(id) is not { } typedId)
            {
                throw new CliException("links needs a document ID (or `chancery links report` for the per-volume summary)");
            }
            var (links, reader) = Open(session);
            var typed = Session.NormaliseDocumentId(typedId);
            var found = links.LinksOf(typed, reader) ?? throw Session.DocumentNotFound(typed);
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, found);
                return ExitCodes.Ok;
            }
            output.WriteLine($"{found.Id} cites ({found.Cites.Count}):");
            foreach (var link in found.Cites)
            {
                output.WriteLine($"  {Cited(link)}");
                foreach (var candidate in link.Candidates)
                {
                    output.WriteLine($"      candidate: {Described(candidate)}");
                }
                output.WriteLine($"      “{link.Evidence}” ({link.Where})");
            }
            if (found.Cites.Count == 0)
            {
                output.WriteLine("  nothing");
            }
            output.WriteLine($"cited by ({found.CitedBy.Count}):");
            foreach (var link in found.CitedBy)
            {
                output.WriteLine($"  {(link.Document is { } d ? Described(d) : link.SourceId)}");
                output.WriteLine($"      {KindName(link.Kind)} {link.Target}: “{link.Evidence}” ({link.Where})");
            }
            if (found.CitedBy.Count == 0)
            {
                output.WriteLine("  nothing");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Report(Globals g)
    {
        var json = Globals.JsonOption();
        var command = new Command("report", "How references resolved, per volume: explicit targets (ref/@target) and telegram numbers") { json };
        g.Handle(command, (parse, session) =>
        {
            var (links, reader) = Open(session);
            var report = links.ReportLinks(reader);
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, report.Select(v => new
                {
                    volume = v.Volume,
                    targets = v.TargetLinks,
                    targetsInArchive = v.TargetLinksInArchive,
                    targetsMissingInSource = v.TargetLinksMissingInSource,
                    targetsResolved = v.TargetLinksResolved,
                    targetShare = Math.Round(v.TargetShare, 4),
                    telegrams = v.TelegramCitations,
                    telegramsResolved = v.TelegramResolved,
                    telegramsNotPrinted = v.TelegramNotPrinted,
                    telegramsAmbiguous = v.TelegramAmbiguous,
                    telegramsUnresolved = v.TelegramUnresolved,
                    documentsNamed = v.DocumentsNamed,
                    documentsNamedResolved = v.DocumentsNamedResolved,
                }));
                return ExitCodes.Ok;
            }
            if (report.Count == 0)
            {
                output.WriteLine("no links: the archive holds no document you may see that cites anything");
                return ExitCodes.Ok;
            }
            var table = new TextTable("VOLUME", "TARGETS", "IN ARCHIVE", "RESOLVED", "SHARE", "TELEGRAMS", "FOUND", "NOT PRINTED", "AMBIGUOUS", "UNRESOLVED")
                .AlignRight(1).AlignRight(2).AlignRight(3).AlignRight(4).AlignRight(5).AlignRight(6).AlignRight(7).AlignRight(8).AlignRight(9);
            foreach (var v in report)
            {
                table.Add(v.Volume, N(v.TargetLinks), N(v.TargetLinksInArchive), N(v.TargetLinksResolved),
                    v.TargetLinksInArchive == 0 ? "-" : (v.TargetShare * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%",
                    N(v.TelegramCitations), N(v.TelegramResolved), N(v.TelegramNotPrinted), N(v.TelegramAmbiguous), N(v.TelegramUnresolved));
            }
            table.Write(output);
            output.WriteLine("(TARGETS: ref/@target links; IN ARCHIVE: those pointing into volumes ingested whole; SHARE: resolved of those)");
            if (report.Sum(v => v.TargetLinksMissingInSource) is var missing and > 0)
            {
                output.WriteLine($"({missing} more name an id their volume does not have, broken in the edition itself: {string.Join(", ", report.Where(v => v.TargetLinksMissingInSource > 0).Select(v => $"{v.Volume} {v.TargetLinksMissingInSource}"))})");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command File(Globals g)
    {
        var prefix = new Argument<string>("PREFIX") { Description = "A decimal file number or its beginning: 761.93, 740.0011, 890F.7962/12–1848" };
        var json = Globals.JsonOption();
        var command = new Command("file", "What a decimal file number means, and the documents filed under it") { prefix, json };
        g.Handle(command, (parse, session) =>
        {
            var typed = parse.GetValue(prefix)!.Trim();
            if (typed.Length == 0)
            {
                throw new CliException("file needs a decimal file number, e.g. 761.93");
            }
            var (links, reader) = Open(session);
            var meanings = Meanings(typed);
            var documents = links.DocumentsInFile(typed, reader);
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, new { file = typed, meanings = meanings.Select(m => new { scheme = m.Scheme, meaning = m.Meaning }), documents });
                return ExitCodes.Ok;
            }
            foreach (var (scheme, meaning) in meanings)
            {
                output.WriteLine(meanings.Count == 1 ? $"{typed}: {meaning}" : $"{typed} ({scheme}): {meaning}");
            }
            if (meanings.Count == 0)
            {
                output.WriteLine($"{typed}: not a complete decimal file number; listing the documents whose numbers begin with it");
            }
            output.WriteLine($"{Ingester.Count(documents.Count, "document")} filed under {typed}:");
            foreach (var d in documents)
            {
                output.WriteLine($"  {Day(d.Date)}  {d.Id}  {d.Title}");
                foreach (var n in d.Numbers)
                {
                    output.WriteLine($"      {n.Text}: {n.Meaning}");
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Person(Globals g)
    {
        var name = new Argument<string[]>("NAME|ID")
        {
            Description = "A name in either order (Harriman; W. Averell Harriman; \"Harriman, W. Averell\") or an index id (harriman-william-averell)",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = Globals.JsonOption();
        var command = new Command("person", "Who someone is: names in the volumes, posts (POCOM), documents sent, received and mentioned in (`person merge`, `person split`: an editor's decision)")
        {
            name, json, Merge(g), Split(g),
        };
        g.Handle(command, (parse, session) =>
        {
            var typed = string.Join(' ', parse.GetValue(name)!).Trim();
            var (links, reader) = Open(session);
            var person = links.GetPerson(typed, reader)
                ?? throw new CliException(
                    $"no person {typed}: the people here are those of the volumes' persons lists and POCOM (try the surname alone, "
                    + $"a persons-list id such as frus1945Berlinv01#p_HWA1, or `chancery search '\"{typed}\"'` for the name in the text)",
                    ExitCodes.NotFound);
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, person);
                return ExitCodes.Ok;
            }
            output.WriteLine($"{person.Name} ({person.Id})");
            var others = person.Names.Where(n => n != person.Name).ToList();
            if (others.Count > 0)
            {
                output.WriteLine($"also: {string.Join("; ", others)}");
            }
            if (person.Listings.Count > 0)
            {
                output.WriteLine("in the persons lists:");
                foreach (var l in person.Listings)
                {
                    output.WriteLine($"  {l.Volume}#{l.PersonId}: {l.Name}{(l.Description.Length > 0 ? ", " + l.Description : "")}");
                }
            }
            // editors' decisions are shown; the rules' evidence stays in --json, as before
            var decided = person.Evidence.Where(e => e.StartsWith("merged by ", StringComparison.Ordinal) || e.StartsWith("split by ", StringComparison.Ordinal)).ToList();
            if (decided.Count > 0)
            {
                output.WriteLine("editors:");
                foreach (var e in decided)
                {
                    output.WriteLine($"  {e}");
                }
            }
            output.WriteLine(person.OfficialId is null ? "posts: none in POCOM" : $"posts (POCOM {person.OfficialId}):");
            foreach (var post in person.Posts)
            {
                output.WriteLine($"  {post.Summary}");
            }
            Documents(output, "sent", person.Sent);
            Documents(output, "received", person.Received);
            Documents(output, "mentioned in", person.Mentioned);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Merge(Globals g)
    {
        var a = new Argument<string>("A") { Description = "An index id (harriman-william-averell) or persons-list id (frus1945Berlinv01#p_HWA1)" };
        var b = new Argument<string>("B") { Description = "The other person, the same way" };
        var reason = ReasonOption();
        var command = new Command("merge", "Say that two persons of the index are one (as the --as editor, with a reason); kept across rebuilds") { a, b, reason };
        g.Handle(command, (parse, session) =>
        {
            var (links, editor) = OpenForEditor(session);
            var first = parse.GetValue(a)!.Trim();
            var listing = links.MergePersons(first, parse.GetValue(b)!, editor.Name, parse.GetValue(reason)!);
            var person = links.GetPerson(listing, editor)!;
            session.Terminal.Out.WriteLine($"merged {first} and {parse.GetValue(b)!.Trim()}: now {person.Name} ({person.Id}), {Ingester.Count(person.Listings.Count, "persons-list entry", "persons-list entries")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Split(Globals g)
    {
        var person = new Argument<string>("PERSON") { Description = "The index person (id or one of their persons-list ids)" };
        var listing = new Argument<string>("LISTING") { Description = "The persons-list entry to take out of them: frus1945Berlinv01#p_HWA1" };
        var reason = ReasonOption();
        var command = new Command("split", "Say that a persons-list entry is not the person it was joined to (as the --as editor, with a reason); kept across rebuilds")
        {
            person, listing, reason,
        };
        g.Handle(command, (parse, session) =>
        {
            var (links, editor) = OpenForEditor(session);
            var taken = parse.GetValue(listing)!.Trim();
            links.SplitPerson(parse.GetValue(person)!, taken, editor.Name, parse.GetValue(reason)!);
            var own = links.GetPerson(taken, editor)!;
            session.Terminal.Out.WriteLine($"split {taken} from {parse.GetValue(person)!.Trim()}: now {own.Name} ({own.Id})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<string> ReasonOption() =>
        new("--reason") { Description = "Why (kept with the decision and shown on the person)", HelpName = "TEXT", Required = true };

    // Editors are named users: the public reads the index but does not change it.
    private static (ILinkArchive Links, Core.Access.ReaderIdentity Editor) OpenForEditor(Session session)
    {
        var (links, reader) = Open(session);
        if (reader.IsPublic)
        {
            throw new CliException("merging and splitting persons is for named editors: run it as one with --as NAME");
        }
        return (links, reader);
    }

    public static Command Graph(Globals g)
    {
        var format = new Option<string>("--format") { Description = "graphml or json", HelpName = "FORMAT", DefaultValueFactory = _ => "graphml" };
        format.AcceptOnlyFromAmong("graphml", "json");
        var command = new Command("graph", "Write who wrote to whom and which document cites which (what the reader may see)") { format };
        g.Handle(command, (parse, session) =>
        {
            var (links, reader) = Open(session);
            var text = links.ExportGraph(reader, parse.GetValue(format)!);
            session.Terminal.Out.Write(text.EndsWith('\n') ? text : text + "\n");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The archive's links and the reader; the PostgreSQL archive has no links yet, which is said plainly.</summary>
    private static (ILinkArchive Links, Core.Access.ReaderIdentity Reader) Open(Session session)
    {
        var archive = session.ExistingArchive;
        if (archive is not ILinkArchive links)
        {
            throw new CliException("links, threads, the decimal file and people are only in the embedded (folder) archive for now; this archive is PostgreSQL");
        }
        return (links, session.Reader(archive));
    }

    // Both schemes' readings when they differ: without a date, 761.93 may be read as either.
    private static List<(string Scheme, string Meaning)> Meanings(string typed)
    {
        if (!FileNumber.TryParse(typed, out var number))
        {
            return [];
        }
        if (number.SuffixDate is not null)
        {
            return [(SchemeName(FileNumberDecoder.Decode(number).Scheme), FileNumberDecoder.Decode(number).Summary)];
        }
        var old = FileNumberDecoder.Decode(number, new DateOnly(1949, 12, 31)).Summary;
        var revised = FileNumberDecoder.Decode(number, new DateOnly(1950, 1, 1)).Summary;
        return old == revised ? [("1910–1963", old)] : [("1910–1949", old), ("1950–1963", revised)];
    }

    private static string SchemeName(FileScheme scheme) => scheme == FileScheme.CentralDecimalFile1910To1949 ? "1910–1949" : "1950–1963";

    private static void Documents(TextWriter output, string role, IReadOnlyList<PersonDocument> documents)
    {
        output.WriteLine($"{role} ({documents.Count}):");
        foreach (var d in documents)
        {
            output.WriteLine($"  {Day(d.Date)}  {d.Id}  {d.Title}");
        }
    }

    // One cited reference: what was cited, then where it led.
    private static string Cited(LinkView link)
    {
        var what = link.Kind == ReferenceKind.Telegram
            ? $"telegram {link.Target}{(link.CitedDate is null ? "" : $" ({link.CitedDate})")}"
            : $"{KindName(link.Kind)} {link.Target}";
        var result = link.Status switch
        {
            LinkStatus.Resolved when link.Document is { } d => Described(d),
            LinkStatus.Resolved => link.TargetId ?? link.Target,
            LinkStatus.NotPrinted => "not printed" + (link.Reason.Length > 0 ? $": {link.Reason}" : ""),
            _ => LinkStatuses.Name(link.Status) + (link.Reason.Length > 0 ? $": {link.Reason}" : ""),
        };
        return $"{what} → {result}";
    }

    private static string Described(LinkedDocument d) =>
        d.Withheld ? LinkedDocument.WithheldLabel : $"{d.Id} ({Day(d.Date)}) {d.Title}";

    private static string KindName(ReferenceKind kind) => kind.ToString().ToLowerInvariant();

    private static string Day(string? date) => date is null ? "undated   " : date.Length >= 10 ? date[..10] : date.PadRight(10);

    private static string Party(string? party) => string.IsNullOrWhiteSpace(party) ? "?" : party;

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}

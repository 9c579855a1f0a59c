using System.CommandLine;
using System.Globalization;
using Chancery.Archive;
using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;

namespace Chancery.Cli.Commands;

/// <summary>
/// <c>chancery copy --from ARCHIVE --to ARCHIVE</c>: moves a whole archive between the embedded store (a folder) and
/// PostgreSQL (a postgres:// URL), into an empty destination, verified table by table before the copy appears.
/// </summary>
public static class CopyCommand
{
    public static Command Create(Globals g)
    {
        var from = new Option<string>("--from") { Description = "The archive to copy: a folder or a postgres:// URL", HelpName = "PATH|URL", Required = true };
        var to = new Option<string>("--to") { Description = "Where to copy it: a missing or empty folder, or an empty PostgreSQL database", HelpName = "PATH|URL", Required = true };
        var command = new Command("copy", "Copy a whole archive (documents, users, reviews, audit trail, person decisions) between a folder and PostgreSQL, and verify it")
        {
            from, to,
        };
        command.SetAction(parse => Run(g.Terminal, parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(g.IndexDir)));
        return command;
    }

    private static int Run(Terminal terminal, string from, string to, string? indexDir)
    {
        var output = terminal.Out;
        if (Same(from, to))
        {
            throw new CliException("--from and --to name the same archive");
        }
        // the destination is looked at first: a wrong --to costs no read of the source
        RefuseUnusableTarget(to);
        IReadOnlyList<CopyCheck> checks;
        LinkReport sourceLinks;
        // the source is read, never written: no migration, no links rebuild (it may be read-only, and stays as it was)
        using (var snapshot = ArchiveLocator.ReadForCopy(from))
        {
            var cables = snapshot.CableTraffic();
            if (cables.Count > 0)
            {
                throw new CliException($"the archive at {Describe(from)} holds cable office traffic ({string.Join(", ", cables.Select(c => $"{c.Table} {c.Rows.ToString(CultureInfo.InvariantCulture)}"))}), "
                    + "which only the embedded archive keeps and copy does not carry; nothing was copied (`chancery backup` copies an embedded archive whole)");
            }
            var expected = snapshot.Fingerprint();
            if (expected.Problems.Count > 0)
            {
                throw new CliException($"the archive at {Describe(from)} fails its check ({expected.Problems[0]}); nothing was copied (see `chancery check`)", ExitCodes.Failed);
            }
            try
            {
                if (ArchiveLocator.IsPostgres(to))
                {
                    // the copy indexes its rows into the index folder a server of this machine will search
                    using var target = PostgresArchive.Open(to, indexDir);
                    checks = target.CopyFrom(snapshot, expected);
                }
                else
                {
                    checks = SqliteArchive.CopyInto(to, snapshot, expected);
                }
            }
            catch (CopyMismatchException e)
            {
                Print(output, checks: e.Checks, links: null);
                foreach (var problem in e.Problems)
                {
                    output.WriteLine(problem);
                }
                throw new CliException(e.Message, ExitCodes.Failed);
            }
            // the link graph and the person index are derived: the copy builds its own, which must come out as the
            // source's links built in memory from the snapshot that was copied
            sourceLinks = snapshot.BuildLinks();
            snapshot.RequireUnchanged();
        }
        var links = CompareLinks(sourceLinks, to, indexDir);
        Print(output, checks, links);
        var volumes = checks.First(c => c.Table == "volumes").TargetRows;
        var documents = checks.First(c => c.Table == "documents").TargetRows;
        if (links.Any(l => !l.Ok))
        {
            terminal.Err.WriteLine($"chancery: the copy at {Describe(to)} holds the same tables but builds different links from them ({string.Join("; ", links.Where(l => !l.Ok).Select(l => $"{l.Table}: {l.SourceRows} in the source, {l.TargetRows} in the copy"))})");
            return ExitCodes.Failed;
        }
        output.WriteLine($"copied {Describe(from)} to {Describe(to)}: {Ingester.Count((int)volumes, "volume")}, {Ingester.Count((int)documents, "document")}; verified, every table matches its source");
        return ExitCodes.Ok;
    }

    private static bool Same(string a, string b) =>
        ArchiveLocator.IsPostgres(a) || ArchiveLocator.IsPostgres(b)
            ? string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal)
            : string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    private static string Describe(string location) => ArchiveLocator.RedactPassword(location);

    private static void RefuseUnusableTarget(string to)
    {
        if (ArchiveLocator.IsPostgres(to))
        {
            using var target = PostgresArchive.Open(to);
            if (target.RefuseCopyInto() is { } why)
            {
                throw new CliException(why);
            }
            return;
        }
        if (to.Contains("://", StringComparison.Ordinal))
        {
            throw new CliException($"unknown archive URL {to} (use a folder path or postgres://USER@HOST:PORT/DATABASE)");
        }
        if (File.Exists(to))
        {
            throw new CliException($"{to} is a file; an archive is a folder");
        }
        if (Directory.Exists(to) && Directory.EnumerateFileSystemEntries(to).Any())
        {
            throw new CliException($"{to} is not empty: copy writes a new archive into a missing or empty folder (nothing was changed)");
        }
    }

    // the copy rebuilds its links now, so its first reader does not wait for it
    private static List<CopyCheck> CompareLinks(LinkReport a, string to, string? indexDir)
    {
        using var target = ArchiveLocator.Open(to, mustExist: true, indexDir);
        var b = ((ILinkArchive)target).RebuildLinks();
        return
        [
            new CopyCheck("links", a.Links, b.Links, StatusDigest(a), StatusDigest(b)),
            new CopyCheck("people", a.People, b.People, a.PeopleWithPosts.ToString(CultureInfo.InvariantCulture), b.PeopleWithPosts.ToString(CultureInfo.InvariantCulture)),
        ];
    }

    private static string StatusDigest(LinkReport r) =>
        string.Join(",", r.ByStatus.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value.ToString(CultureInfo.InvariantCulture)}"));

    private static void Print(TextWriter output, IReadOnlyList<CopyCheck> checks, IReadOnlyList<CopyCheck>? links)
    {
        output.WriteLine($"{"table",-18}{"source",10}{"copy",10}  {"digest",-18}result");
        foreach (var c in checks.Concat(links ?? []))
        {
            var digest = c.Table switch
            {
                "audit" => "head " + Short(c.SourceDigest),
                "links" or "people" => "rebuilt",
                _ => Short(c.SourceDigest),
            };
            output.WriteLine($"{c.Table,-18}{Number(c.SourceRows),10}{Number(c.TargetRows),10}  {digest,-18}{(c.Ok ? "ok" : "DIFFERS")}");
        }
    }

    private static string Short(string digest) => digest.Length > 12 ? digest[..12] : digest;

    private static string Number(long n) => n < 0 ? "-" : n.ToString("N0", CultureInfo.InvariantCulture);
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Microsoft.Data.Sqlite;

namespace Chancery.Cli.Tests;

/// <summary>
/// Starts real <c>chancery</c> processes and kills them with SIGKILL at random moments, then reopens the archive
/// and checks it: it opens, <c>check</c> passes (integrity_check, counts, content hashes, audit chain), every
/// volume is either absent or whole, and search answers as the stored volumes say (the full-text index beside the
/// database catches up with what a kill left out); after a killed review the document's release state is the one its latest
/// review row says; after a killed user change the user exists exactly when the audit trail last added it.
/// Shared by the bounded tests and the long run in bench/ (<c>kill</c>).
/// </summary>
public sealed partial class CrashHarness(string cliDll, string archive)
{
    public int Kills { get; private set; }
    public int CompletedRuns { get; private set; }

    /// <summary>Runs <paramref name="args"/> as a separate process and kills it after <paramref name="delay"/> unless it ended first.</summary>
    public bool RunAndKill(IReadOnlyList<string> args, TimeSpan delay)
    {
        using var p = Start(args);
        if (p.WaitForExit(delay))
        {
            CompletedRuns++;
            return false;
        }
        p.Kill(entireProcessTree: true);
        p.WaitForExit();
        Kills++;
        return true;
    }

    /// <summary>Runs <paramref name="args"/> to the end and returns how long it took and its exit code.</summary>
    public (TimeSpan Elapsed, int ExitCode) RunToEnd(IReadOnlyList<string> args)
    {
        var clock = Stopwatch.StartNew();
        using var p = Start(args);
        p.WaitForExit();
        return (clock.Elapsed, p.ExitCode);
    }

    /// <summary>
    /// How long a command takes when it runs to the end: the fastest of three runs (the first pays for a cold
    /// start), each given by <paramref name="args"/> for its index. The runs are real: they change the archive.
    /// </summary>
    public TimeSpan Calibrate(Func<int, IReadOnlyList<string>> args)
    {
        var fastest = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var command = args(i);
            var (elapsed, code) = RunToEnd(command);
            if (code != 0)
            {
                throw new InvalidOperationException($"chancery {string.Join(' ', command)} failed with exit code {code}");
            }
            fastest = elapsed < fastest ? elapsed : fastest;
        }
        return fastest;
    }

    /// <summary>Starts <paramref name="args"/> as a separate process and returns it running (the caller waits or kills).</summary>
    public Process Begin(IReadOnlyList<string> args) => Start(args);

    private Process Start(IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(cliDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["CHANCERY_ARCHIVE"] = archive;
        var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEndAsync();
        p.StandardError.ReadToEndAsync();
        return p;
    }

    /// <summary>Problems found in the archive after a kill; empty when it is sound.</summary>
    public List<string> Inspect(IReadOnlyDictionary<string, int> expectedCounts) =>
        Inspect(expectedCounts.ToDictionary(p => p.Key, p => (IReadOnlySet<int>)new HashSet<int> { p.Value }));

    /// <summary>
    /// Problems found after a kill when a volume may hold one of several whole versions (e.g. an old, shorter
    /// one and the new one): its document count must be one of <paramref name="allowedCounts"/>.
    /// </summary>
    public List<string> Inspect(IReadOnlyDictionary<string, IReadOnlySet<int>> allowedCounts)
    {
        var problems = new List<string>();
        using var a = SqliteArchive.Open(archive);
        var report = a.Check();
        problems.AddRange(report.Problems);
        foreach (var v in a.ListVolumes(ReaderIdentity.System))
        {
            if (allowedCounts.TryGetValue(v.Id, out var allowed) && !allowed.Contains(v.DocumentCount))
            {
                problems.Add($"{v.Id}: {v.DocumentCount} documents, not one of {string.Join(" or ", allowed)} (a torn volume)");
            }
            problems.AddRange(SearchProblems(a, v.Id, v.DocumentCount));
        }
        return problems;
    }

    /// <summary>
    /// Search must find every stored document of the volume and no other, and find the volume's last document by the
    /// words of its title (the last one written is the one a kill between the database and the index leaves out).
    /// </summary>
    private static List<string> SearchProblems(SqliteArchive a, string volume, int documents)
    {
        var problems = new List<string>();
        var total = a.Search(new Chancery.Archive.SearchRequest($"volume:{volume}", PageSize: 1), ReaderIdentity.System, "test").Total;
        if (total != documents)
        {
            problems.Add($"{volume}: search finds {total} documents, {documents} are stored");
        }
        var last = a.GetVolume(volume, ReaderIdentity.System)!.Contents.LastOrDefault(e => e.DocumentId is not null)?.DocumentId;
        var title = last is null ? null : a.GetDocument(last, ReaderIdentity.System, "test")?.Document.Title;
        if (title is not null && !title.Contains('"', StringComparison.Ordinal) && title.Any(char.IsLetterOrDigit))
        {
            var hits = a.Search(new Chancery.Archive.SearchRequest($"title:\"{title}\" volume:{volume}", PageSize: 1000), ReaderIdentity.System, "test").Hits;
            if (!hits.Any(h => h.Id == last))
            {
                problems.Add($"{last}: not found by the words of its title (the full-text index lacks it)");
            }
        }
        return problems;
    }

    /// <summary>Stored document count of each volume, by id.</summary>
    public Dictionary<string, int> VolumeCounts()
    {
        using var a = SqliteArchive.Open(archive);
        return a.ListVolumes(ReaderIdentity.System).ToDictionary(v => v.Id, v => v.DocumentCount);
    }

    /// <summary>
    /// Problems after a killed review of <paramref name="documentId"/>: check and audit verification must pass, and
    /// the document's stored release state must be what its latest review row says (or
    /// <paramref name="unreviewed"/> when it has none).
    /// </summary>
    public List<string> InspectReview(string documentId, ReleaseState unreviewed)
    {
        var problems = CheckAndAudit();
        var (release, latest) = ReleaseAndLatestReview(documentId);
        var expected = latest switch
        {
            null => unreviewed,
            ("withhold", _) => ReleaseState.Withheld,
            (_, "[]") => ReleaseState.Released,
            _ => ReleaseState.ReleasedWithExcisions,
        };
        if (release != expected)
        {
            problems.Add($"{documentId}: stored release state {release}, but its latest review ({latest?.Action ?? "none"} {latest?.Excisions}) means {expected}");
        }
        return problems;
    }

    /// <summary>How many review rows <paramref name="documentId"/> has.</summary>
    public int ReviewCount(string documentId)
    {
        using var c = Connect();
        return Convert.ToInt32(Scalar(c, "SELECT count(*) FROM reviews WHERE document = $d", ("$d", documentId)), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Problems after a killed user change: check and audit verification must pass, and <paramref name="user"/>
    /// must exist exactly when the last audit entry about it is "user added".
    /// </summary>
    public List<string> InspectUser(string user)
    {
        var problems = CheckAndAudit();
        using var a = SqliteArchive.Open(archive);
        var last = a.ListAudit(null, null, int.MaxValue)
            .Where(e => (e.Action == "user added" && e.Detail.StartsWith(user + ":", StringComparison.Ordinal)) || (e.Action == "user removed" && e.Detail == user))
            .OrderBy(e => e.Sequence)
            .LastOrDefault();
        var exists = a.GetUser(user) is not null;
        if (exists != (last?.Action == "user added"))
        {
            problems.Add($"user {user} {(exists ? "exists" : "is missing")}, but the audit trail last says {last?.Action ?? "nothing"}");
        }
        return problems;
    }

    /// <summary>Whether <paramref name="user"/> exists now.</summary>
    public bool UserExists(string user)
    {
        using var a = SqliteArchive.Open(archive);
        return a.GetUser(user) is not null;
    }

    private List<string> CheckAndAudit()
    {
        using var a = SqliteArchive.Open(archive);
        var problems = new List<string>(a.Check().Problems);
        var audit = a.VerifyAudit();
        if (!audit.Ok)
        {
            problems.Add("audit verify: " + audit.Problem);
        }
        return problems;
    }

    private (ReleaseState Release, (string Action, string Excisions)? Latest) ReleaseAndLatestReview(string documentId)
    {
        using var c = Connect();
        var release = (ReleaseState)Convert.ToInt32(Scalar(c, "SELECT release FROM documents WHERE id = $d", ("$d", documentId)), System.Globalization.CultureInfo.InvariantCulture);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT action, excisions FROM reviews WHERE document = $d ORDER BY seq DESC LIMIT 1";
        cmd.Parameters.AddWithValue("$d", documentId);
        using var r = cmd.ExecuteReader();
        return (release, r.Read() ? (r.GetString(0), r.GetString(1)) : null);
    }

    // Read-only and unpooled, so nothing of the harness stays open while the next process runs.
    private SqliteConnection Connect()
    {
        using var a = SqliteArchive.Open(archive);
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = a.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        return c;
    }

    private static object? Scalar(SqliteConnection c, string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        return cmd.ExecuteScalar();
    }

    [GeneratedRegex("""<div\b[^>]*\btype="document"[\s/>]""")]
    private static partial Regex DocumentDiv();

    [GeneratedRegex("""<div\b[^>]*\btype="document"[^>]*>""")]
    private static partial Regex DocumentStart();

    [GeneratedRegex(@"</?div\b")]
    private static partial Regex DivTag();

    /// <summary>Document count of a TEI file, counted as the issue counts it.</summary>
    public static int TeiDocumentCount(string path) => DocumentDiv().Count(File.ReadAllText(path));

    /// <summary>
    /// Writes an older version of a TEI volume to <paramref name="folder"/>: the same volume without its last
    /// <paramref name="drop"/> document divs, so a torn replace between the two versions shows in the count.
    /// </summary>
    public static string WriteOlderVersion(string path, string folder, int drop)
    {
        var xml = File.ReadAllText(path);
        for (var i = 0; i < drop; i++)
        {
            var last = DocumentStart().Matches(xml).Last().Index;
            var depth = 0;
            for (var m = DivTag().Match(xml, last); m.Success; m = m.NextMatch())
            {
                if (m.Value[1] == '/')
                {
                    if (--depth == 0)
                    {
                        xml = xml.Remove(last, xml.IndexOf('>', m.Index) + 1 - last);
                        break;
                    }
                }
                else if (xml[xml.IndexOf('>', m.Index) - 1] != '/')
                {
                    depth++;
                }
            }
        }
        Directory.CreateDirectory(folder);
        var older = Path.Combine(folder, Path.GetFileName(path));
        File.WriteAllText(older, xml);
        return older;
    }
}

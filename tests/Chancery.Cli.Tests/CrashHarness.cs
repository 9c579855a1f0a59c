using System.Diagnostics;
using System.Text.RegularExpressions;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;

namespace Chancery.Cli.Tests;

/// <summary>
/// Starts real <c>chancery</c> processes and kills them with SIGKILL at random moments, then reopens the archive
/// and checks it: it opens, <c>check</c> passes (integrity_check, counts, content hashes, audit chain), and every
/// volume is either absent or whole. Shared by the bounded test and the long run in bench/.
/// </summary>
public sealed partial class CrashHarness(string cliDll, string archive)
{
    public int Kills { get; private set; }
    public int CompletedRuns { get; private set; }

    /// <summary>Runs <paramref name="args"/> as a separate process and kills it after <paramref name="delay"/> unless it ended first.</summary>
    public bool RunAndKill(IReadOnlyList<string> args, TimeSpan delay)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(cliDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["CHANCERY_ARCHIVE"] = archive;
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEndAsync();
        p.StandardError.ReadToEndAsync();
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

    /// <summary>Problems found in the archive after a kill; empty when it is sound.</summary>
    public List<string> Inspect(IReadOnlyDictionary<string, int> expectedCounts)
    {
        var problems = new List<string>();
        using var a = SqliteArchive.Open(archive);
        var report = a.Check();
        problems.AddRange(report.Problems);
        foreach (var v in a.ListVolumes(ReaderIdentity.System))
        {
            if (expectedCounts.TryGetValue(v.Id, out var want) && v.DocumentCount != want)
            {
                problems.Add($"{v.Id}: {v.DocumentCount} of {want} documents (a torn volume)");
            }
        }
        return problems;
    }

    [GeneratedRegex("""<div\b[^>]*\btype="document"[\s/>]""")]
    private static partial Regex DocumentDiv();

    /// <summary>Document count of a TEI file, counted as the issue counts it.</summary>
    public static int TeiDocumentCount(string path) => DocumentDiv().Count(File.ReadAllText(path));
}

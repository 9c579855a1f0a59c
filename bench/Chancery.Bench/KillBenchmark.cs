using System.Diagnostics;
using Chancery.Cli.Tests;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Ingest.Tei;

namespace Chancery.Bench;

/// <summary>
/// The long crash-safety run: SIGKILLs real <c>chancery</c> processes at random moments and checks the archive
/// after each kill (the same <see cref="CrashHarness"/> as tests/Chancery.Cli.Tests/CrashSafetyTests):
/// <list type="bullet">
/// <item>ingest of the six corpus volumes, alternating between an older version of each (last documents cut)
/// and the real one: every volume must hold one whole version;</item>
/// <item><c>chancery --as reviewer review release|withhold ID [--excise 2]</c>: the release state must match the
/// latest review row and the audit chain must verify;</item>
/// <item><c>chancery users add|remove</c>: the user must exist exactly when the audit trail last added it.</item>
/// </list>
/// <c>dotnet run -c Release --project bench/Chancery.Bench -- kill [--ingest-kills 50] [--review-kills 50] [--user-kills 50]</c>
/// </summary>
internal static class KillBenchmark
{
    private const int OlderBy = 3;

    public static int Run(string[] args)
    {
        var ingestKills = Option(args, "--ingest-kills", 50);
        var reviewKills = Option(args, "--review-kills", 50);
        var userKills = Option(args, "--user-kills", 50);
        var cli = Path.Combine(AppContext.BaseDirectory, "chancery.dll");
        var corpus = Path.Combine(Chancery.Ingest.Tests.Hostile.Shared, "corpus", "frus");
        var files = Directory.GetFiles(corpus, "*.xml").Order(StringComparer.Ordinal).ToList();
        var temp = Directory.CreateTempSubdirectory("chancery-kill-").FullName;
        var seed = Option(args, "--seed", 20261129);
        var random = new Random(seed);
        var failures = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            Console.WriteLine($"kill: {cli}, corpus {corpus} ({files.Count} volumes), seed {seed}");
            if (ingestKills > 0)
            {
                failures += Ingests(cli, files, Path.Combine(temp, "ingest"), ingestKills, random);
            }
            if (reviewKills > 0)
            {
                failures += Reviews(cli, files.First(f => f.EndsWith("frus1894Nicaragua.xml", StringComparison.Ordinal)), Path.Combine(temp, "review"), reviewKills, random);
            }
            if (userKills > 0)
            {
                failures += Users(cli, Path.Combine(temp, "users"), userKills, random);
            }
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
        Console.WriteLine($"kill: {(failures == 0 ? "PASS" : "FAIL")} ({failures} unsound states) in {clock.Elapsed.TotalMinutes:F1} min");
        return failures == 0 ? 0 : 1;
    }

    private static int Ingests(string cli, List<string> files, string folder, int kills, Random random)
    {
        var archive = Path.Combine(folder, "archive");
        var older = files.Select(f => CrashHarness.WriteOlderVersion(f, Path.Combine(folder, "older"), OlderBy)).ToList();
        var allowed = files.Zip(older).ToDictionary(
            p => Path.GetFileNameWithoutExtension(p.First),
            p => (IReadOnlySet<int>)new HashSet<int> { CrashHarness.TeiDocumentCount(p.First), CrashHarness.TeiDocumentCount(p.Second) });
        var harness = new CrashHarness(cli, archive);
        var (_, code) = harness.RunToEnd(["ingest", .. older]);
        var (full, code2) = harness.RunToEnd(["ingest", .. files]);
        if (code != 0 || code2 != 0)
        {
            Console.WriteLine($"ingest: setup failed (exit codes {code}, {code2})");
            return 1;
        }
        Console.WriteLine($"\ningest of {files.Count} volumes ({string.Join(", ", allowed.Select(a => $"{a.Key} {string.Join("/", a.Value)}"))} documents): a full run takes {full.TotalSeconds:F1} s");
        var failures = 0;
        var states = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var run = 1; harness.Kills < kills && run <= kills * 3; run++)
        {
            var useOlder = random.Next(2) == 0;
            var delay = full * (0.02 + (1.0 * random.NextDouble()));
            var killed = harness.RunAndKill(["ingest", .. useOlder ? older : files], delay);
            var problems = harness.Inspect(allowed);
            var counts = harness.VolumeCounts();
            var whole = allowed.Keys.Count(v => counts.TryGetValue(v, out var n) && n == allowed[v].Max());
            var state = $"{whole} new, {counts.Count - whole} old";
            states[state] = states.GetValueOrDefault(state) + 1;
            failures += problems.Count > 0 ? 1 : 0;
            Console.WriteLine($"  run {run,3} ({(useOlder ? "older" : "newer")} versions) {(killed ? $"killed at {delay.TotalSeconds,5:F1} s" : "completed       ")}: {state}; {(problems.Count == 0 ? "check ok" : "PROBLEMS: " + string.Join("; ", problems))}");
        }
        Console.WriteLine($"ingest: {harness.Kills} kills, {harness.CompletedRuns} completed runs, {failures} unsound states; volume mixes seen: {string.Join(", ", states.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"[{s.Key}] ×{s.Value}"))}");
        return failures;
    }

    private static int Reviews(string cli, string volume, string folder, int kills, Random random)
    {
        var archive = Path.Combine(folder, "archive");
        var harness = new CrashHarness(cli, archive);
        if (harness.RunToEnd(["ingest", volume]).ExitCode != 0 || harness.RunToEnd(["users", "add", "reviewer", "--clearance", "top-secret"]).ExitCode != 0)
        {
            Console.WriteLine("review: setup failed");
            return 1;
        }
        string id;
        using (var reader = TeiVolumeReader.Open(volume))
        {
            id = reader.ReadDocuments().First(d => d.Body.OfType<Paragraph>().Count() >= 3).Id;
        }
        string[] Args(int choice) => (choice % 3) switch
        {
            0 => ["--as", "reviewer", "review", "release", id, "--excise", "2"],
            1 => ["--as", "reviewer", "review", "withhold", id],
            _ => ["--as", "reviewer", "review", "release", id],
        };
        var full = harness.Calibrate(Args);
        Console.WriteLine($"\nreview of {id} (release --excise 2 / withhold / release): a full run takes {full.TotalSeconds:F2} s");
        var (failures, committed, notCommitted) = (0, 0, 0);
        for (var run = 1; harness.Kills < kills && run <= kills * 4; run++)
        {
            var before = harness.ReviewCount(id);
            var choice = random.Next(3);
            var delay = full * (0.2 + (0.9 * random.NextDouble()));
            var clock = Stopwatch.StartNew();
            var killed = harness.RunAndKill(Args(choice), delay);
            // the machine's load changes: a completed run re-sets the expected duration, so kills keep landing mid-run
            full = killed ? full : clock.Elapsed;
            var after = harness.ReviewCount(id);
            if (killed)
            {
                (committed, notCommitted) = after > before ? (committed + 1, notCommitted) : (committed, notCommitted + 1);
            }
            var problems = harness.InspectReview(id, ReleaseState.Released);
            failures += problems.Count > 0 ? 1 : 0;
            Console.WriteLine($"  run {run,3} ({Args(choice)[3]}{(choice == 0 ? " --excise 2" : "")}) {(killed ? $"killed at {delay.TotalSeconds:F2} s" : "completed")}{(killed ? after > before ? ", after its commit" : ", before its commit" : "")}: {(problems.Count == 0 ? "check, audit and release state ok" : "PROBLEMS: " + string.Join("; ", problems))}");
        }
        Console.WriteLine($"review: {harness.Kills} kills ({notCommitted} before the commit, {committed} after it), {harness.CompletedRuns} completed runs, {failures} unsound states");
        return failures;
    }

    private static int Users(string cli, string folder, int kills, Random random)
    {
        var archive = Path.Combine(folder, "archive");
        var harness = new CrashHarness(cli, archive);
        const string user = "crash-user";
        string[] Args(bool exists) => exists ? ["users", "remove", user] : ["users", "add", user, "--clearance", "secret", "--controls", "NODIS"];
        var full = harness.Calibrate(_ => Args(harness.UserExists(user)));
        Console.WriteLine($"\nusers add/remove {user}: a full run takes {full.TotalSeconds:F2} s");
        var (failures, committed, notCommitted) = (0, 0, 0);
        for (var run = 1; harness.Kills < kills && run <= kills * 4; run++)
        {
            var existed = harness.UserExists(user);
            var delay = full * (0.2 + (0.9 * random.NextDouble()));
            var clock = Stopwatch.StartNew();
            var killed = harness.RunAndKill(Args(existed), delay);
            full = killed ? full : clock.Elapsed;
            var exists = harness.UserExists(user);
            if (killed)
            {
                (committed, notCommitted) = exists != existed ? (committed + 1, notCommitted) : (committed, notCommitted + 1);
            }
            var problems = harness.InspectUser(user);
            failures += problems.Count > 0 ? 1 : 0;
            Console.WriteLine($"  run {run,3} ({(existed ? "remove" : "add")}) {(killed ? $"killed at {delay.TotalSeconds:F2} s" : "completed")}{(killed ? exists != existed ? ", after its commit" : ", before its commit" : "")}: {(problems.Count == 0 ? "check, audit and users ok" : "PROBLEMS: " + string.Join("; ", problems))}");
        }
        Console.WriteLine($"users: {harness.Kills} kills ({notCommitted} before the commit, {committed} after it), {harness.CompletedRuns} completed runs, {failures} unsound states");
        return failures;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}

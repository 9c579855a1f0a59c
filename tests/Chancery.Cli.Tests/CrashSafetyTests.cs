namespace Chancery.Cli.Tests;

/// <summary>
/// Bounded crash-safety run for CI: SIGKILL a real ingest at random moments; the archive must always open,
/// check clean and hold only whole volumes. The long run (≥ 50 kills) is `bench -- kill`.
/// </summary>
public sealed class CrashSafetyTests
{
    [Fact]
    public void Killed_ingests_leave_only_whole_volumes()
    {
        using var temp = new TempArchive();
        var corpus = Path.Combine(Sources.Shared, "corpus", "frus");
        var files = Directory.GetFiles(corpus, "*.xml").Order(StringComparer.Ordinal).ToList();
        var counts = files.ToDictionary(f => Path.GetFileNameWithoutExtension(f), CrashHarness.TeiDocumentCount);
        var harness = new CrashHarness(Path.Combine(AppContext.BaseDirectory, "chancery.dll"), temp.Folder);
        Assert.Equal(0, temp.Run("ingest", files[0]).ExitCode);
        var random = new Random(20261129);
        for (var i = 0; i < 8; i++)
        {
            harness.RunAndKill(["ingest", .. files], TimeSpan.FromMilliseconds(random.Next(400, 4000)));
            var problems = harness.Inspect(counts);
            Assert.True(problems.Count == 0, $"after kill {i + 1}: {string.Join("; ", problems)}");
        }
        Assert.True(harness.Kills >= 4, $"only {harness.Kills} of 8 runs were killed mid-way");
    }
}

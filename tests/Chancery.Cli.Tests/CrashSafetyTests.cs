using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Ingest.Tei;

namespace Chancery.Cli.Tests;

/// <summary>
/// Bounded crash-safety runs for CI: SIGKILL a real ingest, review or user change at random moments; the archive
/// must always open, check clean and hold only whole volumes, release states that match the latest review, and
/// users that match the audit trail. The long run (≥ 50 kills of each) is `bench -- kill`.
/// </summary>
public sealed class CrashSafetyTests
{
    private static string Cli => Path.Combine(AppContext.BaseDirectory, "chancery.dll");

    [Fact]
    public void Killed_ingests_leave_only_whole_volumes()
    {
        using var temp = new TempArchive();
        var corpus = Path.Combine(Sources.Shared, "corpus", "frus");
        var files = Directory.GetFiles(corpus, "*.xml").Order(StringComparer.Ordinal).ToList();
        var counts = files.ToDictionary(f => Path.GetFileNameWithoutExtension(f), CrashHarness.TeiDocumentCount);
        var harness = new CrashHarness(Cli, temp.Folder);
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

    /// <summary>The first document of a volume with at least three body paragraphs, so "--excise 2" is valid.</summary>
    public static string Reviewable(string volume)
    {
        using var reader = TeiVolumeReader.Open(volume);
        return reader.ReadDocuments().First(d => d.Body.OfType<Paragraph>().Count() >= 3).Id;
    }

    /// <summary>One of the three decisions, so consecutive completed reviews change the state.</summary>
    public static string[] ReviewArgs(string documentId, int choice) => (choice % 3) switch
    {
        0 => ["--as", "reviewer", "review", "release", documentId, "--excise", "2"],
        1 => ["--as", "reviewer", "review", "withhold", documentId],
        _ => ["--as", "reviewer", "review", "release", documentId],
    };

    /// <summary>Adds the user when it is missing, removes it when it exists.</summary>
    public static string[] UserArgs(bool exists) =>
        exists ? ["users", "remove", "crash-user"] : ["users", "add", "crash-user", "--clearance", "secret", "--controls", "NODIS"];

    [Fact]
    public void Killed_reviews_leave_the_release_state_of_the_latest_review()
    {
        using var temp = new TempArchive();
        var volume = Path.Combine(Sources.Shared, "corpus", "frus", "frus1894Nicaragua.xml");
        Assert.Equal(0, temp.Run("ingest", volume).ExitCode);
        Assert.Equal(0, temp.Run("users", "add", "reviewer", "--clearance", "top-secret").ExitCode);
        var id = Reviewable(volume);
        var harness = new CrashHarness(Cli, temp.Folder);
        var full = harness.Calibrate(i => ReviewArgs(id, i));
        var random = new Random(20261130);
        for (var run = 1; harness.Kills < 5 && run <= 25; run++)
        {
            // from process start to just past the commit: most kills land before or around the write
            harness.RunAndKill(ReviewArgs(id, random.Next(3)), full * (0.2 + (0.85 * random.NextDouble())));
            var problems = harness.InspectReview(id, ReleaseState.Released);
            Assert.True(problems.Count == 0, $"after run {run}: {string.Join("; ", problems)}");
        }
        Assert.Equal(5, harness.Kills);
    }

    [Fact]
    public void Killed_user_changes_leave_users_as_the_audit_trail_says()
    {
        using var temp = new TempArchive();
        var harness = new CrashHarness(Cli, temp.Folder);
        var full = harness.Calibrate(_ => UserArgs(harness.UserExists("crash-user")));
        var random = new Random(20261201);
        for (var run = 1; harness.Kills < 5 && run <= 25; run++)
        {
            harness.RunAndKill(UserArgs(harness.UserExists("crash-user")), full * (0.2 + (0.85 * random.NextDouble())));
            var problems = harness.InspectUser("crash-user");
            Assert.True(problems.Count == 0, $"after run {run}: {string.Join("; ", problems)}");
        }
        Assert.Equal(5, harness.Kills);
    }
}

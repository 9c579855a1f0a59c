namespace Chancery.Web.Tests.Infrastructure;

/// <summary>Where the repository and the shared corpus are, found by walking up from the test binaries.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> RepoRoot = new(() =>
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Chancery.slnx")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("cannot find the repository root (Chancery.slnx) above " + AppContext.BaseDirectory);
    });

    private static readonly Lazy<string> SharedRoot = new(() =>
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "corpus")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("cannot find shared/corpus above " + AppContext.BaseDirectory);
    });

    public static string Repo => RepoRoot.Value;

    public static string Shared => SharedRoot.Value;

    /// <summary>The seed telegram: Harriman to the President, 13 July 1945, top secret, personal-for.</summary>
    public static string Seed => Path.Combine(Shared, "seed", "000_6fedf52d67ff56bc.txt");

    public static string Corpus(string volume) => Path.Combine(Shared, "corpus", "frus", volume + ".xml");

    public static string SampleVolume => Path.Combine(Repo, "samples", "frus-sample-volume.xml");

    public static string Schemas => Path.Combine(AppContext.BaseDirectory, "Schemas");

    /// <summary>Screenshots of the browser tests: TestResults/screenshots under the repository.</summary>
    public static string Screenshots
    {
        get
        {
            var dir = Path.Combine(Repo, "TestResults", "screenshots");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }
}

using Chancery.Core.Documents;
using Chancery.Ingest.Telegrams;

namespace Chancery.Ingest.Tests;

/// <summary>Where the shared seed and corpus live (beside the repository), and the seed read once.</summary>
internal static class TelegramFixtures
{
    public const string SeedVolume = "frus1945Berlinv01";

    private static readonly Lazy<string> SharedFolder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "corpus")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("shared/corpus not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The folder holding <c>corpus</c> and <c>seed</c> (<c>&lt;repo&gt;/../shared</c>).</summary>
    public static string Shared => SharedFolder.Value;

    public static string SeedPath => Path.Combine(Shared, "seed", "000_6fedf52d67ff56bc.txt");

    public static string CorpusFolder => Path.Combine(Shared, "corpus", "frus");

    private static readonly Lazy<Document> SeedDocument = new(() => TelegramTextReader.ReadFile(SeedPath, SeedVolume));

    /// <summary>The seed telegram as read from its file.</summary>
    public static Document Seed => SeedDocument.Value;

    /// <summary>Reads telegram text given inline in a test.</summary>
    public static Document Read(string text, string volume = "frus1950v01") =>
        TelegramTextReader.Read(text, "test.txt", volume, new string('0', 64));
}

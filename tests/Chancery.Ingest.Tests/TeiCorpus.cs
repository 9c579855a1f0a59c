using System.Diagnostics;
using Chancery.Core.Documents;
using Chancery.Ingest.Tei;

namespace Chancery.Ingest.Tests;

/// <summary>
/// Where the real FRUS volumes are: <c>&lt;repo&gt;/../shared/corpus/frus</c> (6 volumes) and the 95 large ones,
/// taken from <c>/tmp/frus-large/frus-large</c> when unpacked there, else extracted once per test run from
/// <c>shared/corpus/frus-large.tar.xz</c> into a temp folder.
/// </summary>
internal static class TeiCorpus
{
    private static readonly Lazy<string> Shared = new(FindShared);
    private static readonly Lazy<string> Large = new(FindOrExtractLarge, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Dictionary<string, List<Document>> Cache = new(StringComparer.Ordinal);
    private static readonly Lock CacheLock = new();

    /// <summary>The folder of the six small volumes.</summary>
    public static string SmallFolder => Path.Combine(Shared.Value, "corpus", "frus");

    /// <summary>The folder of the 95 large volumes.</summary>
    public static string LargeFolder => Large.Value;

    /// <summary>The path of a small volume by id.</summary>
    public static string Volume(string id) => Path.Combine(SmallFolder, id + ".xml");

    /// <summary>A small volume's documents, read once per test run.</summary>
    public static List<Document> Documents(string id)
    {
        lock (CacheLock)
        {
            if (!Cache.TryGetValue(id, out var documents))
            {
                using var reader = TeiVolumeReader.Open(Volume(id));
                documents = reader.ReadDocuments().ToList();
                Cache[id] = documents;
            }
            return documents;
        }
    }

    /// <summary>One document of a small volume by its local id ("d202").</summary>
    public static Document Document(string volume, string localId) =>
        Documents(volume).Single(d => d.Id == volume + "#" + localId);

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var shared = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(shared, "corpus")))
            {
                return shared;
            }
        }
        throw new InvalidOperationException($"no shared/corpus folder above {AppContext.BaseDirectory}");
    }

    private static string FindOrExtractLarge()
    {
        const string unpacked = "/tmp/frus-large/frus-large";
        if (Directory.Exists(unpacked) && Directory.EnumerateFiles(unpacked, "*.xml").Count() >= 95)
        {
            return unpacked;
        }
        var archive = Path.Combine(Shared.Value, "corpus", "frus-large.tar.xz");
        var target = Path.Combine(Path.GetTempPath(), $"chancery-frus-large-{Environment.ProcessId}");
        Directory.CreateDirectory(target);
        using (var tar = Process.Start(new ProcessStartInfo("tar", ["-xJf", archive, "-C", target]) { RedirectStandardError = true })!)
        {
            var error = tar.StandardError.ReadToEnd();
            tar.WaitForExit();
            if (tar.ExitCode != 0)
            {
                throw new InvalidOperationException($"could not extract {archive}: {error}");
            }
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(target, recursive: true);
            }
            catch (IOException)
            {
                // a leftover temp folder is harmless
            }
        };
        var folder = Path.Combine(target, "frus-large");
        return Directory.Exists(folder) ? folder : target;
    }
}

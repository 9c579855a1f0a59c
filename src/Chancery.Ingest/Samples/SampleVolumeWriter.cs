using System.Text;
using System.Xml;

namespace Chancery.Ingest.Samples;

/// <summary>
/// Writes synthetic volumes in the FRUS TEI conventions, at any size, for demos and scale tests. Output is
/// streamed through <see cref="XmlWriter"/>, so a volume of any length needs constant memory, and is a pure
/// function of the options: the same seed gives the same bytes.
/// </summary>
public static class SampleVolumeWriter
{
    /// <summary>The TEI namespace every element but <c>frus:attachment</c> is written in.</summary>
    public const string TeiNamespace = "http://www.tei-c.org/ns/1.0";

    /// <summary>The FRUS extension namespace (<c>frus:attachment</c>).</summary>
    public const string FrusNamespace = "http://history.state.gov/frus/ns/1.0";

    /// <summary>How many distinct word forms (words, names, places) the built-in vocabulary holds.</summary>
    public static int VocabularySize => SampleVocabulary.Instance.DistinctWords;

    /// <summary>
    /// Writes one volume to <paramref name="output"/>. The XML declaration names the writer's encoding, so use
    /// a UTF-8 writer for files. The writer is flushed but not closed.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="SampleVolumeOptions.Validate"/>).</exception>
    public static void Write(TextWriter output, SampleVolumeOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            CloseOutput = false,
            // Every string we write is built from our own vocabulary, so the per-character check is wasted work.
            CheckCharacters = false,
        };
        using (var xml = XmlWriter.Create(output, settings))
        {
            new SampleVolumeGenerator(xml, options).Write();
        }
        output.Flush();
    }

    /// <summary>
    /// The options <see cref="WriteCorpus"/> uses for volume <paramref name="index"/> (1-based): id
    /// <c>frus-synthetic-s{seed}-v{index:000}</c>, three years from 1945 onwards (cycling after 30 years), a
    /// per-volume seed, and the three previous volumes as footnote targets.
    /// </summary>
    public static SampleVolumeOptions CorpusVolumeOptions(int index, int documentsPerVolume, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        var startYear = 1945 + ((index - 1) * 3 % 30);
        var related = Enumerable.Range(Math.Max(1, index - 3), index - Math.Max(1, index - 3))
            .Select(i => new SampleRelatedVolume(CorpusVolumeId(i, seed), documentsPerVolume))
            .ToArray();
        return new SampleVolumeOptions
        {
            VolumeId = CorpusVolumeId(index, seed),
            Documents = documentsPerVolume,
            Seed = unchecked((int)((uint)seed * 2654435761u ^ (uint)index * 40503u)),
            StartYear = startYear,
            EndYear = startYear + 2,
            Title = $"Synthetic Sample Volume {index} of Corpus {seed}, {startYear}–{startYear + 2} (generated for Chancery)",
            RelatedVolumes = related,
        };
    }

    private static string CorpusVolumeId(int index, int seed) =>
        FormattableString.Invariant($"frus-synthetic-s{seed}-v{index:000}");

    /// <summary>
    /// Writes <paramref name="volumes"/> volumes of <paramref name="documentsPerVolume"/> documents each into
    /// <paramref name="folder"/> (created if missing) as <c>{volume id}.xml</c>, UTF-8 without a BOM, and yields
    /// each file's path once it is complete. Lazy: nothing is written until the result is enumerated.
    /// </summary>
    public static IEnumerable<string> WriteCorpus(string folder, int volumes, int documentsPerVolume, int seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(volumes, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(documentsPerVolume, 1);
        return WriteCorpusIterator(folder, volumes, documentsPerVolume, seed);
    }

    private static IEnumerable<string> WriteCorpusIterator(string folder, int volumes, int documentsPerVolume, int seed)
    {
        Directory.CreateDirectory(folder);
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        for (var i = 1; i <= volumes; i++)
        {
            var options = CorpusVolumeOptions(i, documentsPerVolume, seed);
            var path = Path.Combine(folder, options.VolumeId + ".xml");
            using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new StreamWriter(stream, encoding, 1 << 16))
            {
                Write(writer, options);
            }
            yield return path;
        }
    }
}

using System.Text.RegularExpressions;
using System.Xml;

namespace Chancery.Ingest.Tests;

/// <summary>
/// The repository's bundled samples (<c>&lt;repo&gt;/samples</c>) and the shared seed (<c>&lt;repo&gt;/../shared/seed</c>),
/// found by walking up from the test binaries, plus small XML checks the sample tests share.
/// </summary>
internal static partial class SampleFiles
{
    private static readonly Lazy<string> Repo = new(() => FindUp(dir => File.Exists(Path.Combine(dir, "samples", "frus-sample-volume.xml")), "samples/frus-sample-volume.xml"));
    private static readonly Lazy<string> Shared = new(() => Path.Combine(FindUp(dir => Directory.Exists(Path.Combine(dir, "shared", "seed")), "shared/seed"), "shared"));

    /// <summary>The hand-written FRUS-style sample volume.</summary>
    public static string SampleVolume => Path.Combine(Repo.Value, "samples", "frus-sample-volume.xml");

    /// <summary>The repository's copy of the seed telegram.</summary>
    public static string SeedCopy => Path.Combine(Repo.Value, "samples", "seed-578.txt");

    /// <summary>The seed telegram as shared with the project.</summary>
    public static string SharedSeed => Path.Combine(Shared.Value, "seed", "000_6fedf52d67ff56bc.txt");

    private static string FindUp(Func<string, bool> found, string what)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (found(dir.FullName))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no {what} above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"<div\b[^>]*\btype=""document""")]
    private static partial Regex DocumentDiv();

    [GeneratedRegex(@"<div\b[^>]*\btype=""document-pending""")]
    private static partial Regex PendingDiv();

    /// <summary>How many <c>div type="document"</c> elements the text holds.</summary>
    public static int CountDocuments(string xml) => DocumentDiv().Count(xml);

    /// <summary>How many <c>div type="document-pending"</c> placeholders the text holds.</summary>
    public static int CountPending(string xml) => PendingDiv().Count(xml);

    /// <summary>Reads the whole text with the settings the importers use; throws <see cref="XmlException"/> if malformed.</summary>
    public static int ReadAllNodes(TextReader text)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(text, settings);
        var nodes = 0;
        while (reader.Read())
        {
            nodes++;
        }
        return nodes;
    }

    /// <summary>
    /// Pointers inside the volume that name nothing: <c>persName/@corresp</c>, <c>gloss/@target</c> and
    /// <c>ref/@target</c> starting with '#' must each match an <c>xml:id</c> of the same file.
    /// </summary>
    public static List<string> DanglingPointers(string xml)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var pointers = new List<string>();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }
            if (reader.GetAttribute("id", "http://www.w3.org/XML/1998/namespace") is { } id)
            {
                ids.Add(id);
            }
            var pointer = reader.LocalName switch
            {
                "persName" => reader.GetAttribute("corresp"),
                "gloss" or "ref" => reader.GetAttribute("target"),
                _ => null,
            };
            if (pointer is not null && pointer.StartsWith('#'))
            {
                pointers.Add(pointer[1..]);
            }
        }
        return pointers.Where(p => !ids.Contains(p)).Distinct().ToList();
    }
}

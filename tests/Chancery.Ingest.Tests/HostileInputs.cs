using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Chancery.Archive;
using Chancery.Archive.Search;
using Chancery.Core.Export;
using Chancery.Ingest.Tei;
using Chancery.Ingest.Telegrams;
using CsCheck;

namespace Chancery.Ingest.Tests;

/// <summary>How one hostile input ended: read, refused with one located line, or something else escaped.</summary>
public enum HostileOutcome { Success, CleanError, Escaped }

/// <summary>The outcome of one hostile case, with the error line or the escaped exception.</summary>
public sealed record HostileResult(HostileOutcome Outcome, string Detail, int Documents = 0);

/// <summary>One edit of a seed: what to do (<see cref="Kind"/>), where (<see cref="At"/>, 0–1 of the length), how much and with what.</summary>
public sealed record Mutation(int Kind, double At, double Span, int Value)
{
    public override string ToString() => $"{Hostile.MutationNames[Kind]}@{At:F4}/{Span:F3}/{Value}";
}

/// <summary>A seed (by index) and the edits applied to it.</summary>
public sealed record MutatedCase(int Seed, Mutation[] Mutations)
{
    public override string ToString() => $"seed {Seed}: {string.Join(", ", Mutations.Select(m => m.ToString()))}";
}

/// <summary>A mutated telegram, decoded leniently, with <see cref="Chars"/> inserted at <see cref="At"/> (0–1 of the length).</summary>
public sealed record TelegramTextCase(MutatedCase Case, char[] Chars, double At)
{
    public override string ToString() => $"{Case}; insert [{string.Join(' ', Chars.Select(c => $"U+{(int)c:X4}"))}] @{At:F4}";
}

/// <summary>A hand-built attack (<see cref="Hostile.StructureNames"/>) at a size, with a choice among its variants.</summary>
public sealed record StructuralCase(int Kind, int Size, int Variant)
{
    public override string ToString() => $"{Hostile.StructureNames[Kind]} size {Size} variant {Variant}";
}

/// <summary>
/// Hostile inputs for the readers and the query parser, shared by the bounded CI tests (Hostile*Tests) and the
/// long run in bench (<c>fuzz</c>): seeds cut from the real corpus, CsCheck generators of mutations and
/// hand-built attacks, and runners that sort each case into success, clean error or escaped exception.
/// A clean error is a <see cref="SourceFormatException"/> (or <see cref="QueryException"/>) whose message is one
/// line, <c>FILE:LINE:COL: problem</c>, with a line that exists in the input.
/// </summary>
public static partial class Hostile
{
    public const string TeiNamespace = "http://www.tei-c.org/ns/1.0";

    /// <summary>Volume id given to telegrams read by the runners.</summary>
    public const string TelegramVolume = "hostile-telegrams";

    private static readonly Lazy<string> SharedFolder = new(FindShared);
    private static readonly Lazy<IReadOnlyList<byte[]>> TeiSeedBytes = new(BuildTeiSeeds);
    private static readonly Lazy<IReadOnlyList<string>> QuerySeedLines = new(BuildQuerySeeds);

    /// <summary>The shared folder next to the repository (holding <c>corpus</c> and <c>seed</c>).</summary>
    public static string Shared => SharedFolder.Value;

    /// <summary>The six small real volumes.</summary>
    public static IReadOnlyList<string> CorpusVolumes =>
        [.. Directory.GetFiles(Path.Combine(Shared, "corpus", "frus"), "*.xml").Order(StringComparer.Ordinal)];

    /// <summary>The seed telegram (FRUS 1945 Berlin vol. 1, document 578).</summary>
    public static string TelegramSeedPath => Path.Combine(Shared, "seed", "000_6fedf52d67ff56bc.txt");

    /// <summary>Small volumes, each one real document (four per corpus volume) in a minimal TEI frame, as UTF-8.</summary>
    public static IReadOnlyList<byte[]> TeiSeeds => TeiSeedBytes.Value;

    /// <summary>The seed telegram as UTF-8 bytes.</summary>
    public static byte[] TelegramSeed => File.ReadAllBytes(TelegramSeedPath);

    /// <summary>Queries to mutate: the benchmark query set plus hand-written awkward ones.</summary>
    public static IReadOnlyList<string> QuerySeeds => QuerySeedLines.Value;

    // ---- seeds -------------------------------------------------------------------------------------------------

    [GeneratedRegex("""<div\b[^>]*\btype="document"[^>]*>""")]
    private static partial Regex DocumentStart();

    [GeneratedRegex(@"<TEI\b[^>]*>")]
    private static partial Regex RootStart();

    [GeneratedRegex(@"</?div\b")]
    private static partial Regex DivTag();

    private static IReadOnlyList<byte[]> BuildTeiSeeds()
    {
        var seeds = new List<byte[]>();
        foreach (var volume in CorpusVolumes)
        {
            var xml = File.ReadAllText(volume);
            var root = RootStart().Match(xml).Value;
            var starts = DocumentStart().Matches(xml).Select(m => m.Index).ToList();
            var taken = 0;
            // evenly spread over the volume, small enough to mutate quickly
            for (var k = 0; k < 16 && taken < 4; k++)
            {
                var at = starts[(int)((long)starts.Count * k / 16)];
                var div = BalancedDiv(xml, at);
                if (div is null || div.Length > 12_000)
                {
                    continue;
                }
                seeds.Add(Encoding.UTF8.GetBytes(Frame(root, div)));
                taken++;
            }
        }
        return seeds;
    }

    /// <summary>The div starting at <paramref name="start"/> up to its matching end tag, or null when unbalanced.</summary>
    public static string? BalancedDiv(string xml, int start)
    {
        var depth = 0;
        for (var m = DivTag().Match(xml, start); m.Success; m = m.NextMatch())
        {
            if (m.Value[1] == '/')
            {
                depth--;
                if (depth == 0)
                {
                    var end = xml.IndexOf('>', m.Index);
                    return xml[start..(end + 1)];
                }
            }
            else if (xml[xml.IndexOf('>', m.Index) - 1] != '/')
            {
                depth++;
            }
        }
        return null;
    }

    /// <summary>A minimal volume around one document: header, persons and terms lists, a chapter with a head.</summary>
    public static string Frame(string root, string documents) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        {root}
        <teiHeader><fileDesc><titleStmt><title type="complete">Hostile Seed Volume</title><editor role="primary">A. Editor</editor></titleStmt>
        <publicationStmt><date type="publication-date">1999</date><idno type="frus">frus-hostile-seed</idno></publicationStmt></fileDesc></teiHeader>
        <text><front><div type="section" xml:id="persons"><head>Persons</head><list><item><persName xml:id="p_HWA1">Harriman, W. Averell</persName>, Ambassador in the Soviet Union</item></list></div>
        <div type="section" xml:id="terms"><head>Abbreviations</head><list><item><term xml:id="t_NIACT1">NIACT</term>, night action</item></list></div></front>
        <body><div type="chapter" xml:id="ch1"><head>Chapter <hi rend="italic">One</hi><note n="1">A chapter note.</note></head>
        {documents}
        </div></body></text></TEI>
        """;

    /// <summary>The root start tag most generated attacks use.</summary>
    public const string PlainRoot = $"""<TEI xmlns="{TeiNamespace}" xmlns:frus="http://history.state.gov/frus/ns/1.0" xml:id="frus-hostile">""";

    private static IReadOnlyList<string> BuildQuerySeeds()
    {
        var lines = new List<string>
        {
            "title:\"Port Arthur\" OR (Dairen -Soviet)", "date:1945-07..1945-08 from:Harriman", "classification:\"top secret\" NOT person:Stalin",
            "file:761.93/7-1345", "treat* AND (\"most favored\" OR volume:frus1948v05p1)", "date:1940s type:telegram", "((a OR b) c) -d",
        };
        var file = Path.Combine(RepositoryRoot(), "bench", "queries", "corpus-queries.txt");
        if (File.Exists(file))
        {
            lines.AddRange(File.ReadLines(file).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')[0]));
        }
        return lines;
    }

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "shared", "corpus")))
            {
                return Path.Combine(dir.FullName, "shared");
            }
        }
        throw new DirectoryNotFoundException("no shared/corpus folder above " + AppContext.BaseDirectory);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Chancery.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("no Chancery.slnx above " + AppContext.BaseDirectory);
    }

    // ---- mutations ---------------------------------------------------------------------------------------------

    public static readonly string[] MutationNames =
        ["truncate", "flip-bit", "set-byte", "insert", "delete", "duplicate", "insert-repeated", "invalid-utf8", "insert-whole"];

    /// <summary>Markup and text that break XML or FRUS conventions in interesting ways.</summary>
    private static readonly string[] XmlFragments =
    [
        "<", ">", "&", "&amp;", "&foo;", "&#0;", "&#xD800;", "&#x110000;", "&#xFFFE;", "&#9;", "]]>", "<![CDATA[x", "<![CDATA[[1 paragraph not declassified]]]>",
        "<!--", "-->", "<!-- c -->", "<?pi x?>", "<?xml version=\"1.0\"?>", "<!DOCTYPE TEI [<!ENTITY a \"b\">]>", "<!ENTITY x SYSTEM \"file:///etc/passwd\">",
        "\0", "\u0001", "\uFEFF", "\r", "\r\n", "\t", "\u2028", "\u00A0", "’", "—", "𝐀", "\"", "'", "=",
        "<div type=\"document\" xml:id=\"d1\">", "<div type=\"document\" xml:id=\"d578\" n=\"578\">", "<div type=\"document-pending\" xml:id=\"dp\"/>",
        "<div type=\"document\">", "<div type=\"chapter\" xml:id=\"ch2\">", "</div>", "<div>", "<p>", "</p>", "<p/>", "<hi rend=\"italic\">", "</hi>",
        "<note n=\"1\">", "<note type=\"source\">", "</note>", "<note/>", "<pb n=\"5\" facs=\"0005\"/>", "<pb/>", "<lb/>", "<head>", "</head>",
        "<dateline><placeName>Moscow</placeName>, <date when=\"1945-07-13T17:00:00+03:00\">July 13, 1945—5 p.m.</date></dateline>",
        "<date when=\"not-a-date\">", "<date when=\"1945-02-30\"/>", "<date from=\"1945\" to=\"1944\"/>", "frus:doc-dateTime-min=\"x\"",
        "<persName corresp=\"#p_HWA1\">", "<persName corresp=\"#\">", "</persName>", "<gloss target=\"#t_NIACT1\">", "<gloss target=\"\">", "</gloss>",
        "<ref target=\"#d1\">", "<ref target=\"frus1945Berlinv01#d578\">", "<ref target=\"#pg_12\">", "<ref target=\"http://x/\">", "</ref>",
        "<list>", "<item>", "<label>", "<table>", "<row>", "<cell>", "<quote>", "<closer>", "<signed>", "<opener>", "<seg>", "<salute>",
        "<frus:attachment>", "</frus:attachment>", "<classification level=\"ts\"/>", "<seg>top secret</seg>", "<figure/>", "<foreign xml:lang=\"ru\">",
        "[", "]", "[1 paragraph not declassified]", "[name not declassified]", "[not declassified]", "[2 pages not declassified]", "[sic]", "[Here follows",
        "xmlns=\"urn:x\"", "xmlns:frus=\"urn:y\"", "xml:id=\"d1\"", "xml:id=\"\"", "xml:lang=\"\"", "type=\"document\"", "n=\"\"", "n=\"1\" n=\"2\"",
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">", "</TEI>", "</text>", "<teiHeader>", "</body>",
    ];

    /// <summary>Well-formed pieces, inserted after a tag so the volume stays XML and the FRUS reading is exercised.</summary>
    private static readonly string[] WholeXmlFragments =
    [
        "<hi rend=\"italic\">[1 paragraph (4 lines) not declassified]</hi>", "<note n=\"9\">See <ref target=\"#d1\">Document 1</ref>.</note>",
        "<pb n=\"12\" facs=\"0012\"/>", "<persName corresp=\"#p_HWA1\">Harriman</persName>", "<persName corresp=\"#p_NOBODY\" type=\"from\">Nobody</persName>",
        "<gloss target=\"#t_NIACT1\">NIACT</gloss>", "<gloss target=\"#t_MISSING\">X</gloss>", "<lb/>", "[", "]", "[sic]", "[name not declassified]",
        "<p>[1½ pages not declassified]</p>", "<p><hi rend=\"strong\">top secret</hi></p>", "<list><item>one</item><label>a</label></list>",
        "<table><row><cell>a</cell><cell>b</cell></row></table>", "<quote><p>quoted</p></quote>", "<closer><signed>Acheson</signed></closer>",
        "<dateline><placeName>Paris</placeName>, <date when=\"1948-13-45\">never</date></dateline>", "<date from=\"1948-02\" to=\"1947\">x</date>",
        "<div type=\"document\" xml:id=\"d1\"><p>a duplicate id</p></div>", "<div type=\"document\" xml:id=\"dnew\" n=\"\"><head/></div>",
        "<div type=\"document-pending\" xml:id=\"dpending\"/>", "<frus:attachment><p>attached</p></frus:attachment>", "<seg>NODIS</seg>",
        "<ref target=\"frus1945Berlinv01#d578\">578</ref>", "<ref target=\"#pg_5 #d1 #fn1 http://x\">many</ref>", "<note type=\"source\">Source: Department of State, Central Files, 761.93/7–1345.</note>",
        "<classification level=\"nonsense\"/>", "<figure><graphic url=\"file:///etc/passwd\"/></figure>", "&#x2014;&#160;&amp;", "<![CDATA[<p>]]>",
        "<head>A second head</head>", "<opener><seg>secret</seg></opener>", "<time when=\"25:99\">late</time>", "<hi><hi><hi><hi>deep</hi></hi></hi></hi>",
    ];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE], [0xC0, 0xAF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
        [0x80], [0xBF], [0xE0, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0xC2],
    ];

    /// <summary>Lines and pieces of the telegram form, and characters text readers trip on.</summary>
    private static readonly string[] TelegramFragments =
    [
        "\n", "\n\n", "\r\n", "\r", "\t", "\f", "\0", "\u0007", "\uFFFD", "\uFEFF", "\u2028", "\u200F", " ", "      ", "—", "–", "¹", "²⁴", "⁰",
        "No. 578\n", "No.\n", "No. \n", "[Page 864]\n", "[Page ]", "  1. Sent by", "  *. Not printed.", "   12345678. x", "top secret\n", "TOP SECRET—EYES ONLY\n",
        "NIACT\n", "NIACT—NODIS\n", "NODIS ", "EYES ONLY", "761.93/7–1345: Telegram\n", "761.93/7–1345", ": Telegram", "Signed:", "/s/", "[Unsigned]",
        "(Received July 14—10:25 a.m.)\n", "[Received", "Moscow, July 13, 1945—5 p.m.\n", "February 30, 1945", "July 13–12, 1945", "Harriman\n", "[Harriman]",
        "(Personal and top secret for the President)\n", "___\n", "Footnotes:\n", "[1 paragraph not declassified]", "[name not declassified]", "[", "]", "(", ")",
        "482. ", "999999. ", "The Ambassador in the Soviet Union (Harriman) to the Secretary of State¹\n", "\uD800", "\uDC00", "𝐀",
    ];

    /// <summary>
    /// Mutations of a TEI seed: 1–4 edits, each a truncation, flip, insertion, deletion or duplication; one case in
    /// three only inserts well-formed pieces, so the volume stays XML and the FRUS reading itself is attacked.
    /// </summary>
    public static Gen<MutatedCase> MutatedTei => Gen.Frequency(
        (2, Mutated(TeiSeeds.Count)),
        (1, Gen.Select(Gen.Int[0, TeiSeeds.Count - 1], WholeMutationGen.Array[1, 4], (seed, mutations) => new MutatedCase(seed, mutations))));

    private static readonly Gen<Mutation> WholeMutationGen =
        Gen.Select(Gen.Double.Unit, Gen.Int[0, int.MaxValue], (at, value) => new Mutation(8, at, 0, value));

    /// <summary>Mutations of the seed telegram (index 0).</summary>
    public static Gen<MutatedCase> MutatedTelegram => Mutated(1);

    private static Gen<MutatedCase> Mutated(int seeds) =>
        Gen.Select(Gen.Int[0, seeds - 1], MutationGen.Array[1, 4], (seed, mutations) => new MutatedCase(seed, mutations));

    private static readonly Gen<Mutation> MutationGen =
        Gen.Select(Gen.Int[0, MutationNames.Length - 1], Gen.Double.Unit, Gen.Double.Unit, Gen.Int[0, int.MaxValue],
            (kind, at, span, value) => new Mutation(kind, at, span, value));

    /// <summary>Applies TEI mutations to any bytes (e.g. a whole generated volume).</summary>
    public static byte[] Mutate(byte[] seed, Mutation[] mutations) => Apply(seed, mutations, XmlFragments, WholeXmlFragments, (byte)'>');

    /// <summary>1–4 mutations, for <see cref="Mutate"/>.</summary>
    public static Gen<Mutation[]> Mutations => MutationGen.Array[1, 4];

    /// <summary>The bytes of a mutated TEI case.</summary>
    public static byte[] Apply(MutatedCase c) => Apply(TeiSeeds[c.Seed], c.Mutations, XmlFragments, WholeXmlFragments, (byte)'>');

    /// <summary>The bytes of a mutated telegram case.</summary>
    public static byte[] ApplyTelegram(MutatedCase c) => Apply(TelegramSeed, c.Mutations, TelegramFragments, WholeTelegramLines, (byte)'\n');

    /// <summary>Mutations of the seed telegram decoded leniently, with any characters (lone surrogates too) inserted.</summary>
    public static Gen<TelegramTextCase> MutatedTelegramText =>
        Gen.Select(MutatedTelegram, Gen.Char.Array[0, 6], Gen.Double.Unit, (c, chars, at) => new TelegramTextCase(c, chars, at));

    /// <summary>The text of a <see cref="MutatedTelegramText"/> case.</summary>
    public static string ApplyTelegramText(TelegramTextCase c)
    {
        var text = Encoding.UTF8.GetString(ApplyTelegram(c.Case));
        return text.Insert((int)(c.At * text.Length), new string(c.Chars));
    }

    /// <summary>Whole lines of the telegram form, inserted at a line start.</summary>
    private static readonly string[] WholeTelegramLines =
    [
        "\n", "No. 999\n", "[Page 1]\n", "top secret\n", "NIACT\n", "  3. A third footnote.\n", "                              Acheson\n", "Signed: Acheson\n",
        "(Received July 14—10:25 a.m.)\n", "Washington, February 30, 1945—25 p.m.\n", "Footnotes:\n", "[1 paragraph (3 lines) not declassified]\n",
        "761.93/7–1345: Telegram\n", "Top Secret\n\n", "482. Soong saw Stalin.\n",
    ];

    private static byte[] Apply(byte[] seed, Mutation[] mutations, string[] fragments, string[] whole, byte boundary)
    {
        var b = new List<byte>(seed);
        foreach (var m in mutations)
        {
            var at = (int)(m.At * b.Count);
            switch (m.Kind)
            {
                case 0:
                    b.RemoveRange(at, b.Count - at);
                    break;
                case 1 when b.Count > 0:
                    at = Math.Min(at, b.Count - 1);
                    b[at] ^= (byte)(1 << (m.Value % 8));
                    break;
                case 2 when b.Count > 0:
                    at = Math.Min(at, b.Count - 1);
                    b[at] = (byte)m.Value;
                    break;
                case 3:
                    b.InsertRange(at, Encoding.UTF8.GetBytes(fragments[m.Value % fragments.Length]));
                    break;
                case 4:
                    b.RemoveRange(at, Math.Min(b.Count - at, (int)(m.Span * 400)));
                    break;
                case 5:
                    var length = Math.Min(b.Count - at, (int)(m.Span * 2000));
                    var copy = b.GetRange(at, length);
                    b.InsertRange((int)((uint)m.Value % (b.Count + 1)), copy);
                    break;
                case 6:
                    var piece = Encoding.UTF8.GetBytes(fragments[m.Value % fragments.Length]);
                    var times = 1 + (int)(m.Span * 300);
                    b.InsertRange(at, Enumerable.Repeat(piece, times).SelectMany(p => p));
                    break;
                case 7:
                    b.InsertRange(at, InvalidUtf8[m.Value % InvalidUtf8.Length]);
                    break;
                case 8:
                    var after = b.IndexOf(boundary, at);
                    b.InsertRange(after < 0 ? b.Count : after + 1, Encoding.UTF8.GetBytes(whole[m.Value % whole.Length]));
                    break;
            }
        }
        return [.. b];
    }

    private static readonly string[] QueryFragments =
    [
        "OR", " OR ", "AND", "NOT ", "-", "--", "*", "**", "(", ")", "((", "))", "\"", "\u201C", "\u201D", ":", "'", ";", "\\", " ",
        "NEAR(", "^", "{", "}", "+", "%", "_", "[", "]", "$p0", "?", "@", "#", "\0", "\u001b", "\n", "\t", "\r", "\u2028",
        "title:", "from:", "to:", "place:", "volume:", "type:", "classification:", "person:", "file:", "date:", "author:", "title:title:",
        "1945", "1945-07", "1945-07-13", "1945-07..1945-08", "..1945", "1946..", "1940s", "none", "1945-13", "1946..1945", "..", "....", "0000-00-00",
        "99999999999999999999", "-1945", "1945-02-30", "treat*", "t*", "\"top secret\"", "\"Port Arthur\"*", "\"\"", "'; DROP TABLE documents; --",
        "\uD835\uDC00", "\uD800", "\uDC00", "\uFFFF", "\uFFFD", "ǅ", "Łódź", "日本", "٣", "½", "e\u0301", "\u200B", "\u202E",
    ];

    /// <summary>The benchmark queries with 1–4 character-level edits.</summary>
    public static Gen<string> MutatedQuery =>
        Gen.Select(Gen.Int[0, QuerySeeds.Count - 1], MutationGen.Array[1, 4], (seed, mutations) => ApplyQuery(QuerySeeds[seed], mutations));

    private static string ApplyQuery(string seed, Mutation[] mutations)
    {
        var q = new StringBuilder(seed);
        foreach (var m in mutations)
        {
            var at = (int)(m.At * q.Length);
            switch (m.Kind)
            {
                case 0:
                    q.Length = at;
                    break;
                case 1 when q.Length > 0:
                    at = Math.Min(at, q.Length - 1);
                    q[at] = (char)(q[at] ^ (1 << (m.Value % 16)));
                    break;
                case 2 when q.Length > 0:
                    q[Math.Min(at, q.Length - 1)] = (char)m.Value;
                    break;
                case 3:
                    q.Insert(at, QueryFragments[m.Value % QueryFragments.Length]);
                    break;
                case 4:
                    q.Remove(at, Math.Min(q.Length - at, (int)(m.Span * 20)));
                    break;
                case 5:
                    var copy = q.ToString(at, Math.Min(q.Length - at, (int)(m.Span * 40)));
                    q.Insert((int)((uint)m.Value % (q.Length + 1)), copy);
                    break;
                case 6:
                    q.Insert(at, QueryFragments[m.Value % QueryFragments.Length], 1 + (int)(m.Span * 300));
                    break;
                case 7:
                    q.Insert(at, (char)(0xD800 + (m.Value % 0x800)));
                    break;
                case 8:
                    q.Append(' ').Append(QuerySeeds[m.Value % QuerySeeds.Count]);
                    break;
            }
        }
        return q.ToString();
    }

    // ---- hand-built attacks ------------------------------------------------------------------------------------

    public static readonly string[] StructureNames =
    [
        "deep-inline", "deep-block", "deep-header", "huge-attribute", "huge-text", "doctype", "entity-reference", "many-documents",
        "many-attributes", "long-name", "namespace", "excision-markers", "invalid-utf8", "encoding-declaration", "comments-and-cdata",
    ];

    /// <summary>Hand-built attacks with sizes up to <paramref name="maxSize"/> (depths, bytes, counts), log-uniformly spread.</summary>
    public static Gen<StructuralCase> Structural(int maxSize) =>
        Gen.Select(Gen.Int[0, StructureNames.Length - 1], Gen.Double.Unit, Gen.Int[0, 1000],
            (kind, scale, variant) => new StructuralCase(kind, Math.Max(1, (int)Math.Pow(maxSize, scale)), variant));

    private static readonly string[] InlineElements = ["hi", "persName", "ref", "note", "gloss", "date", "placeName", "foreign", "cell", "seg", "signed", "time"];
    private static readonly string[] BlockElements = ["quote", "list", "table", "p", "item", "row", "frus:attachment", "postscript", "closer", "opener", "div", "label"];
    private static readonly string[] AttributeNames = ["rend", "n", "target", "corresp", "xml:id", "when", "type", "facs", "from", "level"];

    /// <summary>The bytes of a hand-built attack. Header nesting stays at most 2,000 deep (see docs/reliability.md).</summary>
    public static byte[] Build(StructuralCase c)
    {
        var v = c.Variant;
        var n = c.Size;
        string Doc(string body, string attributes = "") => $"<div type=\"document\" xml:id=\"d1\" n=\"1\"{attributes}><head>Head</head>{body}</div>";
        string Vol(string body) => Frame(PlainRoot, body);
        string Nest(string open, string close, int depth, string inner) =>
            new StringBuilder(depth * (open.Length + close.Length) + inner.Length).Insert(0, open, depth).Append(inner).Insert((open.Length * depth) + inner.Length, close, depth).ToString();
        string text;
        switch (c.Kind)
        {
            case 0:
                var inline = InlineElements[v % InlineElements.Length];
                text = Vol(Doc($"<p>{Nest($"<{inline}>", $"</{inline}>", n, "deep text")}</p>"));
                break;
            case 1:
                var block = BlockElements[v % BlockElements.Length];
                var open = block == "div" ? (v % 2 == 0 ? "<div type=\"chapter\">" : "<div type=\"document\" xml:id=\"d{0}\">") : $"<{block}>";
                var close = block == "div" ? "</div>" : $"</{block}>";
                if (open.Contains("{0}", StringComparison.Ordinal))
                {
                    var sb = new StringBuilder();
                    for (var i = 0; i < n; i++)
                    {
                        sb.Append("<div type=\"document\" xml:id=\"dn").Append(i).Append("\"><p>x</p>");
                    }
                    sb.Insert(sb.Length, "</div>", n);
                    text = Vol(sb.ToString());
                }
                else
                {
                    text = Vol(Doc(Nest(open, close, n, "<p>deep block</p>")));
                }
                break;
            case 2:
                var depth = Math.Min(n, 2000);
                text = (v % 3) switch
                {
                    0 => Frame(PlainRoot, Doc("<p>x</p>")).Replace("Hostile Seed Volume", Nest("<hi>", "</hi>", depth, "Title"), StringComparison.Ordinal),
                    1 => Frame(PlainRoot, Doc("<p>x</p>")).Replace("Harriman, W. Averell", Nest("<hi>", "</hi>", depth, "Harriman"), StringComparison.Ordinal),
                    _ => Frame(PlainRoot, Doc("<p>x</p>")).Replace("Chapter <hi rend=\"italic\">One</hi>", Nest("<hi>", "</hi>", depth, "Chapter"), StringComparison.Ordinal),
                };
                break;
            case 3:
                var name = AttributeNames[v % AttributeNames.Length];
                var value = (v / AttributeNames.Length % 3) switch
                {
                    0 => new string('x', n),
                    1 => string.Concat(Enumerable.Repeat("#d1 ", Math.Max(1, n / 4))),
                    _ => string.Concat(Enumerable.Repeat("&amp;&#x2014;", Math.Max(1, n / 13))),
                };
                text = (v % 4) switch
                {
                    0 => Vol(Doc($"<p>see <ref {name}=\"{value}\">this</ref></p>")),
                    1 => Vol(Doc("<p>x</p>", $" {(name == "xml:id" ? "frus:doc-dateTime-min" : name)}=\"{value}\"")),
                    2 => Vol(Doc($"<p><persName {name}=\"{value}\">Harriman</persName></p>")),
                    _ => Vol(Doc($"<dateline><date {name}=\"{value}\">July 13</date></dateline><p>x</p>")),
                };
                break;
            case 4:
                var unit = (v % 4) switch { 0 => "y", 1 => "The Ambassador saw Stalin. ", 2 => "\n    ", _ => "Ж𝐀—’ " };
                var body = new StringBuilder(n + unit.Length).Insert(0, unit, Math.Max(1, n / unit.Length)).ToString();
                text = (v / 4 % 3) switch
                {
                    0 => Vol(Doc($"<p>{body}</p>")),
                    1 => Vol(Doc($"<p>x<note n=\"1\">{body}</note></p>")),
                    _ => Vol(Doc($"<p><![CDATA[{body}]]></p>")),
                };
                break;
            case 5:
                var frame = Vol(Doc("<p>&lol9;&xxe;</p>"));
                var afterDeclaration = frame.IndexOf('\n', StringComparison.Ordinal) + 1;
                text = frame[..afterDeclaration] + Doctype(v, n) + "\n" + frame[afterDeclaration..];
                break;
            case 6:
                string[] refs = ["&undefined;", "&#0;", "&#xFFFE;", "&#x110000;", "&#55296;", "&#x1F600;", "&lt;&gt;&amp;&quot;&apos;", "&#x;", "&#12a;", "&amp", "& "];
                text = Vol(Doc($"<p>{string.Concat(Enumerable.Repeat(refs[v % refs.Length], Math.Min(n, 10_000)))}</p>"));
                break;
            case 7:
                var docs = new StringBuilder();
                for (var i = 0; i < Math.Min(n, 5000); i++)
                {
                    // every 7th variant repeats an id, which must be refused
                    var id = v % 7 == 0 && i == n / 2 ? 0 : i;
                    docs.Append($"<div type=\"document\" xml:id=\"d{id}\" n=\"{i}\"><head>No. {i}</head><p>Text {i}.</p></div>\n");
                }
                text = Vol(docs.ToString());
                break;
            case 8:
                var attrs = new StringBuilder();
                for (var i = 0; i < Math.Min(n, 20_000); i++)
                {
                    attrs.Append($" a{(v % 5 == 0 ? i % 100 : i)}=\"{i}\"");
                }
                text = Vol(Doc($"<p{attrs}>x</p>"));
                break;
            case 9:
                var longName = "a" + new string('b', n);
                text = (v % 3) switch
                {
                    0 => Vol(Doc($"<p><{longName}>x</{longName}></p>")),
                    1 => Vol(Doc($"<p><hi {longName}=\"1\">x</hi></p>")),
                    _ => Vol(Doc($"<p><{longName}:hi xmlns:{longName}=\"urn:x\">x</{longName}:hi></p>")),
                };
                break;
            case 10:
                text = (v % 6) switch
                {
                    0 => Vol(Doc("<p>x</p>")).Replace(TeiNamespace, "urn:not-tei", StringComparison.Ordinal),
                    1 => Vol(Doc("<p>x</p>")).Replace("<TEI xmlns=", "<tei:TEI xmlns:tei=", StringComparison.Ordinal).Replace("</TEI>", "</tei:TEI>", StringComparison.Ordinal),
                    2 => Vol(Doc("<p xmlns=\"urn:other\">x<hi>y</hi></p>")),
                    3 => Vol(Doc("<p><x:hi>undeclared prefix</x:hi></p>")),
                    4 => Vol(Doc("<p xmlns:xml=\"urn:wrong\">x</p>")),
                    _ => Vol(Doc("<p>x</p>")) + "<TEI/>",
                };
                break;
            case 11:
                string[] markers = ["[1 paragraph not declassified] ", "[name not declassified]", "[", "]", "[sic] ", "[not declassified]"];
                var marks = new StringBuilder().Insert(0, markers[v % markers.Length], Math.Min(n, 2000)).ToString();
                text = Vol(Doc($"<p>{marks}</p><p>[{new string('a', Math.Min(n, 100_000))}</p>"));
                break;
            case 12:
                var plain = Vol(Doc("<p>before AFTER</p>"));
                var bytes = Encoding.UTF8.GetBytes(plain);
                var at = Encoding.UTF8.GetByteCount(plain[..plain.IndexOf("AFTER", StringComparison.Ordinal)]);
                return [.. bytes[..at], .. InvalidUtf8[v % InvalidUtf8.Length], .. bytes[at..]];
            case 13:
                string[] declarations = ["UTF-16", "UTF-32", "EBCDIC-US", "x-unknown", "ISO-8859-1", "us-ascii", "utf-8 ", ""];
                var body13 = Vol(Doc("<p>Molotov — Вячеслав</p>"))[(Vol("").IndexOf('\n', StringComparison.Ordinal) + 1)..];
                text = $"<?xml version=\"1.0\" encoding=\"{declarations[v % declarations.Length]}\"?>\n" + body13;
                if (v % 3 == 0)
                {
                    return [0xFE, 0xFF, .. Encoding.UTF8.GetBytes(text)];
                }
                break;
            default:
                var comments = new StringBuilder().Insert(0, (v % 3) switch { 0 => "<!-- comment -->", 1 => "<![CDATA[<p>not markup</p>]]>", _ => "<?target data?>" }, Math.Min(n, 20_000)).ToString();
                text = Vol(Doc($"<p>x{comments}y</p>"));
                break;
        }
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>DOCTYPE attacks: entity expansion, outside files, outside DTDs, parameter entities.</summary>
    public static string Doctype(int variant, int size) => (variant % 7) switch
    {
        0 => "<!DOCTYPE TEI [\n<!ENTITY lol0 \"lol\">\n"
             + string.Concat(Enumerable.Range(1, 9).Select(i => $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">\n")) + "]>",
        1 => "<!DOCTYPE TEI [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
        2 => "<!DOCTYPE TEI SYSTEM \"file:///etc/passwd\">",
        3 => "<!DOCTYPE TEI [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/evil.dtd\"> %p;]>",
        4 => $"<!DOCTYPE TEI [<!ENTITY big \"{new string('x', Math.Min(size, 100_000))}\">]>",
        5 => "<!DOCTYPE TEI PUBLIC \"-//TEI//DTD TEI P5//EN\" \"http://127.0.0.1:9/tei.dtd\">",
        _ => "<!DOCTYPE TEI>",
    };

    // ---- running a case ----------------------------------------------------------------------------------------

    /// <summary>
    /// Reads a TEI file as ingest does (documents, then the volume), plus the header-only volume of a fresh reader,
    /// and serialises every document as the archive would. Never throws.
    /// </summary>
    public static HostileResult ReadTei(string path, byte[] bytes)
    {
        var documents = 0;
        try
        {
            using (var header = TeiVolumeReader.Open(path))
            {
                _ = header.Volume;
            }
        }
        catch (SourceFormatException e)
        {
            if (Unclean(e, path, bytes) is { } problem)
            {
                return new HostileResult(HostileOutcome.Escaped, problem);
            }
        }
        catch (Exception e)
        {
            return new HostileResult(HostileOutcome.Escaped, "header: " + Describe(e));
        }
        try
        {
            using var reader = TeiVolumeReader.Open(path);
            foreach (var d in reader.ReadDocuments())
            {
                documents++;
                if (string.IsNullOrEmpty(d.Id) || !d.Id.StartsWith(d.Volume + "#", StringComparison.Ordinal))
                {
                    return new HostileResult(HostileOutcome.Escaped, $"document id '{d.Id}' is not in volume '{d.Volume}'", documents);
                }
                _ = DocumentJson.SerializeToUtf8(d);
            }
            var volume = reader.Volume;
            return new HostileResult(HostileOutcome.Success, $"{volume.Id}: {documents} documents", documents);
        }
        catch (SourceFormatException e)
        {
            return Unclean(e, path, bytes) is { } problem
                ? new HostileResult(HostileOutcome.Escaped, problem, documents)
                : new HostileResult(HostileOutcome.CleanError, e.Message, documents);
        }
        catch (Exception e)
        {
            return new HostileResult(HostileOutcome.Escaped, Describe(e), documents);
        }
    }

    /// <summary>Reads telegram bytes from a file (strict UTF-8), as <c>chancery ingest</c> does. Never throws.</summary>
    public static HostileResult ReadTelegramFile(string path, byte[] bytes)
    {
        try
        {
            var d = TelegramTextReader.ReadFile(path, TelegramVolume);
            _ = DocumentJson.SerializeToUtf8(d);
            return new HostileResult(HostileOutcome.Success, d.Id, 1);
        }
        catch (SourceFormatException e)
        {
            return Unclean(e, path, bytes) is { } problem
                ? new HostileResult(HostileOutcome.Escaped, problem)
                : new HostileResult(HostileOutcome.CleanError, e.Message);
        }
        catch (Exception e)
        {
            return new HostileResult(HostileOutcome.Escaped, Describe(e));
        }
    }

    /// <summary>Reads telegram text already decoded (lone surrogates and all). Never throws.</summary>
    public static HostileResult ReadTelegramText(string text, string path)
    {
        try
        {
            var d = TelegramTextReader.Read(text, path, TelegramVolume, new string('0', 64));
            _ = DocumentJson.SerializeToUtf8(d);
            return new HostileResult(HostileOutcome.Success, d.Id, 1);
        }
        catch (SourceFormatException e)
        {
            return Unclean(e, path, text) is { } problem
                ? new HostileResult(HostileOutcome.Escaped, problem)
                : new HostileResult(HostileOutcome.CleanError, e.Message);
        }
        catch (Exception e)
        {
            return new HostileResult(HostileOutcome.Escaped, Describe(e));
        }
    }

    /// <summary>Parses a query. Never throws.</summary>
    public static HostileResult ParseQuery(string query)
    {
        try
        {
            var tree = QueryParser.Parse(query);
            return tree is null
                ? new HostileResult(HostileOutcome.Escaped, "null tree")
                : new HostileResult(HostileOutcome.Success, tree.GetType().Name);
        }
        catch (QueryException e)
        {
            if (e.Message.Length == 0 || e.Message.Any(char.IsControl))
            {
                return new HostileResult(HostileOutcome.Escaped, $"query error not one printable line: {Escape(e.Message)}");
            }
            if (e.Position < 0 || e.Position > query.Length)
            {
                return new HostileResult(HostileOutcome.Escaped, $"query error position {e.Position} outside 0..{query.Length}: {e.Message}");
            }
            return new HostileResult(HostileOutcome.CleanError, e.Message);
        }
        catch (Exception e)
        {
            return new HostileResult(HostileOutcome.Escaped, Describe(e));
        }
    }

    /// <summary>Why a reader's error is not one clean located line, or null when it is.</summary>
    public static string? Unclean(SourceFormatException e, string path, byte[] bytes) =>
        Unclean(e, path, Lines(Encoding.UTF8.GetString(bytes)));

    private static string? Unclean(SourceFormatException e, string path, string text) => Unclean(e, path, Lines(text));

    private static string? Unclean(SourceFormatException e, string path, int lines)
    {
        var m = e.Message;
        if (m != e.ToString())
        {
            return $"ToString differs from the message: {Escape(e.ToString())}";
        }
        if (m.Any(char.IsControl))
        {
            return $"not one printable line: {Escape(m)}";
        }
        if (e.File != path || !m.StartsWith($"{path}:{e.Line}:{e.Column}: ", StringComparison.Ordinal))
        {
            return $"does not start with FILE:LINE:COL: {Escape(m)}";
        }
        if (e.Line < 1 || e.Column < 1 || e.Line > lines + 1)
        {
            return $"position {e.Line}:{e.Column} outside the input's {lines} lines: {Escape(m)}";
        }
        if (string.IsNullOrWhiteSpace(e.Problem))
        {
            return "no problem stated";
        }
        return null;
    }

    // Lines as XML and the telegram reader count them: \r\n, \r and \n each end one.
    private static int Lines(string text)
    {
        var lines = 1;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                lines++;
            }
        }
        return lines;
    }

    private static string Describe(Exception e)
    {
        var frame = e.StackTrace?.Split('\n').FirstOrDefault()?.Trim() ?? "";
        return $"{e.GetType().FullName}: {Escape(e.Message)} {frame}";
    }

    private static string Escape(string s)
    {
        var shown = new string([.. s.Select(c => char.IsControl(c) ? '?' : c)]);
        return shown.Length > 300 ? shown[..300] + "…" : shown;
    }

    // ---- measuring -------------------------------------------------------------------------------------------

    /// <summary>Peak managed heap and working set while <paramref name="run"/> works, sampled every few milliseconds.</summary>
    public static (long HeapGrowth, long PeakWorkingSet, TimeSpan Elapsed) Measure(Action run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peakHeap = baseline;
        long peakSet = 0;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            using var self = Process.GetCurrentProcess();
            do
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                self.Refresh();
                peakSet = Math.Max(peakSet, self.WorkingSet64);
            }
            while (!done.Wait(5));
        }) { IsBackground = true };
        var clock = Stopwatch.StartNew();
        sampler.Start();
        try
        {
            run();
        }
        finally
        {
            done.Set();
            sampler.Join();
        }
        return (peakHeap - baseline, peakSet, clock.Elapsed);
    }
}

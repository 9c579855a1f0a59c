using System.Text.RegularExpressions;
using Chancery.Core.Documents;
using Chancery.Core.Export;
using Chancery.Ingest.Tei;
using Chancery.Ingest.Telegrams;
using static Chancery.Ingest.Tests.TelegramFixtures;

namespace Chancery.Ingest.Tests;

/// <summary>
/// The text export is the telegram reader's input form: a document written with <see cref="TextExporter"/> reads
/// back to the same document. Checked on the seed and on the first 40 documents of five corpus volumes.
/// </summary>
public sealed class TextRoundTripTests
{
    private static readonly string SeedText = TextExporter.Write(Seed);

    [Fact]
    public void Seed_reads_back_the_same() =>
        Assert.Empty(RoundTrip.Differences(Seed, TelegramTextReader.Read(SeedText, "seed.txt", SeedVolume, Seed.SourceSha256)));

    [Fact]
    public void Seed_reads_back_its_head_marks() =>
        Assert.Equal(Seed.Head, TelegramTextReader.Read(SeedText, "seed.txt", SeedVolume, Seed.SourceSha256).Head);

    [Theory]
    [InlineData("[be?]")]
    [InlineData("July 11–12")]
    [InlineData(")[.]")]
    [InlineData("Dairen")]
    [InlineData("General Deane and Admiral Maples")]
    [InlineData("[Page 864]")]
    public void Seed_export_prints(string printed) => Assert.Contains(printed, SeedText);

    [Fact]
    public void Seed_export_prints_the_day_range_without_the_marker_digit() => Assert.DoesNotContain("11–122", SeedText);

    [Fact]
    public void Seed_export_prints_footnote_markers_as_superscripts() =>
        Assert.Contains("the Secretary of State¹\n", SeedText);

    [Theory]
    [InlineData("frus1894Nicaragua.xml")]
    [InlineData("frus1918Russiav03.xml")]
    [InlineData("frus1936v03.xml")]
    [InlineData("frus1948v05p1.xml")]
    [InlineData("frus1964-68v29p2.xml")]
    public void First_40_documents_of_a_volume_read_back_the_same(string volumeFile)
    {
        using var reader = TeiVolumeReader.Open(Path.Combine(CorpusFolder, volumeFile));
        var failures = new List<string>();
        var count = 0;
        foreach (var d in reader.ReadDocuments().Take(40))
        {
            count++;
            var back = TelegramTextReader.Read(TextExporter.Write(d), d.Id + ".txt", d.Volume, d.SourceSha256);
            failures.AddRange(RoundTrip.Differences(d, back).Select(x => d.Id + ": " + x));
        }
        Assert.Equal((40, ""), (count, string.Join("\n", failures)));
    }
}

/// <summary>
/// What a round trip through plain text keeps, field by field. Where a field cannot survive plain text the
/// comparison says so and why, below; nothing else is left out.
/// </summary>
internal static partial class RoundTrip
{
    public static IEnumerable<string> Differences(Document a, Document b)
    {
        var diffs = new List<string>();
        void Same<T>(string field, T x, T y)
        {
            if (!EqualityComparer<T>.Default.Equals(x, y))
            {
                diffs.Add($"{field}: [{x}] ≠ [{y}]");
            }
        }
        // FRUS prints only the number: an id other than "d" + number ("d72a" for No. 72A) is markup alone, and an
        // unnumbered document read from text is named by its content hash
        if (a.Number is not null && a.LocalId == "d" + a.Number)
        {
            Same("Id", a.Id, b.Id);
        }
        Same("Number", a.Number, b.Number);
        Same("Type", a.Type, b.Type);
        Same("Title", a.Title, b.Title);
        Same("Date", a.Date, b.Date);
        Same("Place", a.Place, b.Place);
        Same("FileNumbers", string.Join(" | ", a.FileNumbers), string.Join(" | ", b.FileNumbers));
        Same("Classification", a.Classification, b.Classification);
        Same("Captions", string.Join(" | ", a.Captions), string.Join(" | ", b.Captions));
        // The TEI reader looks for the channel in each text run on its own, so "via <gloss>CIA</gloss> channels" is
        // found only in plain text: a channel the source did not yield may be found, one it yields must survive.
        if (a.Channel is not null)
        {
            Same("Channel", a.Channel, b.Channel);
        }
        Same("Signed", a.Signed, b.Signed);
        if (!SameParty(a.From, b.From, b.Title))
        {
            diffs.Add($"From: [{a.From}] ≠ [{b.From}]");
        }
        if (!SameParty(a.To, b.To, b.Title))
        {
            diffs.Add($"To: [{a.To}] ≠ [{b.To}]");
        }
        Same("Body", string.Join(" ¶ ", Printed(a)), string.Join(" ¶ ", Printed(b)));
        Same("Footnotes", string.Join(" ¶ ", Notes(a)), string.Join(" ¶ ", Notes(b)));
        var lost = PrintedReferences(a).Except(b.References.Select(r => (r.Kind, r.Target))).ToList();
        if (lost.Count > 0)
        {
            diffs.Add("References lost: " + string.Join(", ", lost));
        }
        return diffs;
    }

    // The parties a TEI source tags (persName/gloss type="from"|"to") are the tagged names alone ("Tuck"); plain
    // text cannot tag them, and the telegram reader gives the party as the head prints it ("The Ambassador in
    // Egypt (Tuck)"). So when they differ, each tagged name must still be printed in the head read back.
    private static bool SameParty(string? source, string? back, string backTitle) =>
        source == back || source is null
        || source.Split(" and ").All(name => backTitle.Contains(name, StringComparison.Ordinal));

    // Paragraph text and page breaks in order. An empty paragraph prints nothing, so it cannot come back: it is left
    // out. A page break inside a paragraph and one between paragraphs both print "[Page N]".
    private static IEnumerable<string> Printed(Document d)
    {
        foreach (var block in d.Body)
        {
            switch (block)
            {
                case Paragraph p:
                    foreach (var pb in p.Content.OfType<PageBreakMark>())
                    {
                        yield return "[Page " + pb.Page + "]";
                    }
                    if (p.Text.Length > 0)
                    {
                        yield return p.Text;
                    }
                    break;
                case PageBreak pb:
                    yield return "[Page " + pb.Page + "]";
                    break;
                case ExcisionBlock x:
                    yield return x.Text;
                    break;
            }
        }
    }

    // A note with no text prints no line, so it cannot come back: it is left out.
    private static IEnumerable<string> Notes(Document d) =>
        d.Footnotes.Where(f => f.Text.Length > 0).Select(f => f.N + ". " + f.Text);

    // References plain text can carry: telegrams cited by number, and documents of the same volume cited in words
    // ("Document 7", "document No. 577"). A ref/@target ("frus1947v05#pg_575", a footnote, a volume, a document cited
    // as "No. 1" or "Document123") is markup the printed text does not hold; so is a target the printed words put
    // in another volume ("… vol. IV, p. 1174 (Document 68)" with target "#d68"). Those are left out. References
    // found only in the text read back are allowed: the TEI reader scans each text run alone, so a number split
    // from its keyword by markup ("<gloss>Deptel</gloss> 399") is found only in plain text.
    private static IEnumerable<(ReferenceKind, string)> PrintedReferences(Document d) =>
        d.References
            .Where(r => r.Kind == ReferenceKind.Telegram
                || (r.Kind == ReferenceKind.Document && r.Target.StartsWith(d.Volume + "#", StringComparison.Ordinal)
                    && DocumentInWords().IsMatch(r.Text) && PrintedAsCitation(d, r.Text)))
            .Select(r => (r.Kind, r.Target))
            .Distinct();

    [GeneratedRegex(@"\b[Dd]ocuments?\s+(?:No\.\s*)?\d", RegexOptions.CultureInvariant)]
    private static partial Regex DocumentInWords();

    // The evidence as printed: not run into a following word ("Documents 54ff.") and not in a sentence that cites
    // another volume ("Foreign Relations, …, vol. IV, … (Document 68)").
    private static bool PrintedAsCitation(Document d, string evidence)
    {
        var texts = d.Body.OfType<Paragraph>().Select(p => p.Text).Concat(d.Footnotes.Select(f => f.Text)).Append(d.SourceNote ?? "");
        foreach (var t in texts)
        {
            var at = t.IndexOf(evidence, StringComparison.Ordinal);
            if (at >= 0)
            {
                var end = at + evidence.Length;
                var before = t[Math.Max(0, at - 100)..at];
                return (end == t.Length || !char.IsLetter(t[end]))
                    && !before.Contains("vol.", StringComparison.OrdinalIgnoreCase) && !before.Contains("volume", StringComparison.OrdinalIgnoreCase)
                    && !before.Contains("Foreign Relations", StringComparison.Ordinal);
            }
        }
        return false;
    }
}

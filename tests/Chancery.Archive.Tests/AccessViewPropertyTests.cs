using Chancery.Archive.Access;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Core.Export;
using CsCheck;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>
/// Property tests of access over random markings, readers and excisions: no reader sees text it may not see (a leak)
/// and no reader misses text it may see (wrongly hidden), first in the one access function, then through the
/// archive's SQL (show, volume counts and search).
/// </summary>
public sealed class AccessViewPropertyTests
{
    private static readonly string[] Controls = ["NODIS", "EXDIS", "PERSONAL-FOR"];

    private static readonly Gen<Marking> GenMarking =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 7], (level, mask) => new Marking((ClassificationLevel)level, Controls.Where((_, i) => (mask & (1 << i)) != 0).ToList()));

    private static readonly Gen<ReaderIdentity> GenReader =
        Gen.Select(Gen.Bool, Gen.Int[0, 5], Gen.Int[0, 7], (isPublic, level, mask) => isPublic
            ? ReaderIdentity.Public
            : new ReaderIdentity("r", false, (ClassificationLevel)level, Controls.Where((_, i) => (mask & (1 << i)) != 0).ToHashSet()));

    /// <summary>
    /// How a review cuts paragraph i, whose text is three words "qa{i}z qb{i}z qc{i}z" (characters 0–4, 5–9, 10–14):
    /// 0 nothing, 1 the whole paragraph, 2 the middle word, 3 the first word, 4 the first two words.
    /// </summary>
    private static readonly (int? Start, int? End, string[] Words)[] Cuts =
    [
        (null, null, []),
        (null, null, ["qa", "qb", "qc"]),
        (5, 9, ["qb"]),
        (0, 4, ["qa"]),
        (0, 9, ["qa", "qb"]),
    ];

    private static string Word(string stem, int paragraph) => $"{stem}{paragraph}z";

    private static List<ExciseSpan> Spans(int[] cuts) =>
        cuts.Select((kind, i) => kind == 0 ? null : kind == 1 ? new ExciseSpan(i + 1) : new ExciseSpan(i + 1, Cuts[kind].Start, Cuts[kind].End))
            .OfType<ExciseSpan>().ToList();

    private static Document Paragraphs(Document d, int count) =>
        d with { Body = Enumerable.Range(1, count).Select(i => (Block)new Paragraph([new TextRun($"{Word("qa", i)} {Word("qb", i)} {Word("qc", i)}")])).ToList() };

    [Fact]
    public void No_reader_sees_what_it_may_not_and_nothing_readable_is_hidden()
    {
        Gen.Select(GenMarking, GenReader, Gen.Int[0, 3], Gen.Int[0, 4].Array[1, 6])
            .Sample((marking, reader, state, cutKinds) =>
            {
                var release = (ReleaseState)state;
                var doc = Paragraphs(new Document { Id = "v#d1", Volume = "v", Type = "Telegram", Title = "t", SourceSha256 = "x", Marking = marking }, cutKinds.Length);
                var cuts = release == ReleaseState.ReleasedWithExcisions ? Spans(cutKinds) : [];
                var view = AccessView.For(doc, release, cuts, reader);
                var original = reader.MayReadOriginal(marking);
                var mayRead = release is ReleaseState.Released or ReleaseState.ReleasedWithExcisions || original;
                Assert.Equal(mayRead, view is not null);
                if (view is null)
                {
                    return;
                }
                Assert.Equal(original && release != ReleaseState.Released, view.IsOriginal);
                var outputs = new[] { DocumentJson.Serialize(view.Document), TextExporter.Write(view.Document), TeiExporter.Write(view.Document) };
                var paragraphs = view.Document.Body.OfType<Paragraph>().ToList();
                for (var i = 1; i <= cutKinds.Length; i++)
                {
                    var cutWords = cuts.Count == 0 ? Array.Empty<string>() : Cuts[cutKinds[i - 1]].Words;
                    foreach (var stem in new[] { "qa", "qb", "qc" })
                    {
                        var cut = cutWords.Contains(stem);
                        var word = Word(stem, i);
                        // no leak: a cut word reaches no output of a reader not cleared for the original;
                        // nothing wrongly hidden: every other word reaches every output
                        Assert.All(outputs, o => Assert.Equal(!cut || original, o.Contains(word, StringComparison.Ordinal)));
                        if (cut && original)
                        {
                            // the cleared reader sees the cut text marked as cut
                            Assert.Contains(paragraphs, p => p.Excised ? p.Text.Contains(word, StringComparison.Ordinal)
                                : p.Content.OfType<ExcisedText>().Any(x => x.Text.Contains(word, StringComparison.Ordinal)));
                        }
                    }
                }
                if (!original && cuts.Count > 0)
                {
                    // every cut left a marker where it was
                    var markers = view.Document.Body.OfType<ExcisionBlock>().Count() + paragraphs.Sum(p => p.Content.OfType<ExcisionMark>().Count());
                    Assert.True(markers >= 1 && markers <= cuts.Count, $"{markers} markers for {cuts.Count} cuts");
                }
            }, iter: 5000);
    }

    /// <summary>One document of a random archive: its marking, whether it comes in released, and the review it gets.</summary>
    private sealed record Stored(Marking Marking, bool ReleasedAtIngest, int Review);

    // Reviews: 0 none, 1 release, 2 release with paragraph 2 cut, 3 withhold.
    private static readonly Gen<Stored> GenStored = Gen.Select(GenMarking, Gen.Bool, Gen.Int[0, 3], (m, r, review) => new Stored(m, r, review));

    [Fact]
    public void Through_the_archive_no_reader_finds_what_it_may_not_and_finds_all_it_may()
    {
        var reviewer = new UserAccount("reviewer", ClassificationLevel.TopSecret, Controls, DateTimeOffset.UnixEpoch);
        Gen.Select(GenStored.Array[1, 5], GenReader.Array[3])
            .Sample((stored, readers) =>
            {
                var folder = Directory.CreateTempSubdirectory("chancery-access-property-");
                try
                {
                    using var archive = SqliteArchive.Open(folder.FullName);
                    var docs = stored.Select((s, i) =>
                    {
                        var d = Paragraphs(Make("p", i + 1, $"Telegram t{i + 1}z"), 3) with { Marking = s.Marking };
                        return s.ReleasedAtIngest ? d : d with { Release = ReleaseState.Withheld };
                    }).ToArray();
                    Store(archive, "p", docs);
                    for (var i = 0; i < stored.Length; i++)
                    {
                        var decision = stored[i].Review switch
                        {
                            1 => new ReviewDecision(docs[i].Id, ReviewAction.Release, [], "r"),
                            2 => new ReviewDecision(docs[i].Id, ReviewAction.Release, [new ExciseSpan(2)], "r"),
                            3 => new ReviewDecision(docs[i].Id, ReviewAction.Withhold, [], "r"),
                            _ => null,
                        };
                        if (decision is not null)
                        {
                            Assert.NotNull(archive.Review(decision, reviewer));
                        }
                    }
                    foreach (var reader in readers)
                    {
                        var visible = 0;
                        for (var i = 0; i < stored.Length; i++)
                        {
                            var release = stored[i].Review switch
                            {
                                1 => ReleaseState.Released,
                                2 => ReleaseState.ReleasedWithExcisions,
                                3 => ReleaseState.Withheld,
                                _ => stored[i].ReleasedAtIngest ? ReleaseState.Released : ReleaseState.Withheld,
                            };
                            var original = reader.MayReadOriginal(stored[i].Marking);
                            var may = reader.MayRead(release, stored[i].Marking);
                            visible += may ? 1 : 0;
                            var n = i + 1;
                            Assert.Equal(may, archive.GetDocument(docs[i].Id, reader, "test") is not null);
                            // the middle paragraph's words are cut for readers not cleared for the original
                            var cut = release == ReleaseState.ReleasedWithExcisions && !original;
                            Assert.Equal(may ? 1 : 0, archive.Search(new SearchRequest($"t{n}z"), reader, "test").Total);
                            Assert.Equal(may ? 1 : 0, archive.Search(new SearchRequest(Word("qb", 1)), reader, "test").Hits.Count(h => h.Id == docs[i].Id));
                            Assert.Equal(may && !cut ? 1 : 0, archive.Search(new SearchRequest(Word("qb", 2)), reader, "test").Hits.Count(h => h.Id == docs[i].Id));
                        }
                        Assert.Equal(visible, archive.ListVolumes(reader).Single().DocumentCount);
                        Assert.Equal(visible, archive.Search(new SearchRequest(Word("qc", 3), Facets: true), reader, "test").Facets["volume"].Sum(v => v.Count));
                    }
                }
                finally
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    folder.Delete(recursive: true);
                }
            }, iter: 30, threads: 1);
    }
}

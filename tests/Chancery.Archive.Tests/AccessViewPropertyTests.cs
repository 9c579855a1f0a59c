using Chancery.Archive.Access;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Core.Export;
using CsCheck;

namespace Chancery.Archive.Tests;

/// <summary>Property tests of the one access function over random markings, readers and excisions.</summary>
public sealed class AccessViewPropertyTests
{
    private static readonly string[] Controls = ["NODIS", "EXDIS", "PERSONAL-FOR"];

    private static readonly Gen<Marking> GenMarking =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 7], (level, mask) => new Marking((ClassificationLevel)level, Controls.Where((_, i) => (mask & (1 << i)) != 0).ToList()));

    private static readonly Gen<ReaderIdentity> GenReader =
        Gen.Select(Gen.Bool, Gen.Int[0, 5], Gen.Int[0, 7], (isPublic, level, mask) => isPublic
            ? ReaderIdentity.Public
            : new ReaderIdentity("r", false, (ClassificationLevel)level, Controls.Where((_, i) => (mask & (1 << i)) != 0).ToHashSet()));

    [Fact]
    public void No_reader_sees_what_it_may_not_and_nothing_readable_is_hidden()
    {
        Gen.Select(GenMarking, GenReader, Gen.Int[0, 3], Gen.Int[1, 6], Gen.Int[0, 63])
            .Sample((marking, reader, state, paragraphs, cutMask) =>
            {
                var release = (ReleaseState)state;
                var doc = new Document
                {
                    Id = "v#d1", Volume = "v", Type = "Telegram", Title = "t", SourceSha256 = "x", Marking = marking,
                    Body = Enumerable.Range(1, paragraphs).Select(i => (Block)new Paragraph([new TextRun($"word{i}canary text")])).ToList(),
                };
                var cuts = Enumerable.Range(1, paragraphs).Where(i => (cutMask & (1 << (i - 1))) != 0).Select(i => new ExciseSpan(i)).ToList();
                if (release != ReleaseState.ReleasedWithExcisions)
                {
                    cuts = [];
                }
                var view = AccessView.For(doc, release, cuts, reader);
                var mayRead = release is ReleaseState.Released or ReleaseState.ReleasedWithExcisions || reader.MayReadOriginal(marking);
                Assert.Equal(mayRead, view is not null);
                if (view is null)
                {
                    return;
                }
                var json = DocumentJson.Serialize(view.Document);
                var original = reader.MayReadOriginal(marking);
                for (var i = 1; i <= paragraphs; i++)
                {
                    var cut = cuts.Any(c => c.Paragraph == i);
                    Assert.Equal(!cut || original, json.Contains($"word{i}canary", StringComparison.Ordinal));
                }
            }, iter: 5000);
    }
}

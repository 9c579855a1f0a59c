using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Archive.Tests.Infrastructure;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Ingest.Pocom;
using Chancery.Ingest.Tei;
using Chancery.Ingest.Telegrams;

namespace Chancery.Archive.Tests;

/// <summary>
/// Three real volumes (1918 Russia III, 1936 III, 1948 V part 1), the seed telegram and POCOM in one archive,
/// built once for the class, on either backend.
/// </summary>
public abstract class LinksCorpus : IDisposable
{
    public static readonly string[] Volumes = ["frus1918Russiav03", "frus1936v03", "frus1948v05p1"];

    public string Shared { get; } = FindShared();
    public ILinkArchive Archive { get; private set; } = null!;
    public LinkReport Report { get; private set; } = null!;

    /// <summary>Ingests the corpus into <paramref name="archive"/> and rebuilds its links.</summary>
    protected void Fill<TArchive>(TArchive archive) where TArchive : IArchive, ILinkArchive
    {
        Archive = archive;
        foreach (var id in Volumes)
        {
            using var reader = TeiVolumeReader.Open(Path.Combine(Shared, "corpus", "frus", id + ".xml"));
            archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume);
        }
        var seed = TelegramTextReader.ReadFile(Path.Combine(Shared, "seed", "000_6fedf52d67ff56bc.txt"), "frus1945Berlinv01");
        archive.UpsertDocuments(new Volume { Id = "frus1945Berlinv01", Title = "Conference of Berlin (Potsdam), 1945, I", SourceKind = "telegram", SourceSha256 = seed.SourceSha256 }, [seed]);
        archive.ImportOfficials(PocomReader.ReadFolder(Path.Combine(Shared, "corpus", "pocom")));
        Report = archive.RebuildLinks();
    }

    public virtual void Dispose()
    {
        (Archive as IDisposable)?.Dispose();
        GC.SuppressFinalize(this);
    }

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
}

/// <summary>The corpus in an embedded archive.</summary>
public sealed class LinksCorpusFixture : LinksCorpus
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("chancery-links-corpus-");

    public LinksCorpusFixture()
    {
        Fill(SqliteArchive.Open(_folder.FullName));
    }

    public override void Dispose()
    {
        base.Dispose();
        _folder.Delete(recursive: true);
    }
}

/// <summary>The corpus in a server archive, built on first use with the test collection's server.</summary>
public sealed class PostgresLinksCorpusFixture : IDisposable
{
    private readonly object _gate = new();
    private Corpus? _corpus;

    public LinksCorpus For(PostgresServer server)
    {
        lock (_gate)
        {
            return _corpus ??= new Corpus(server);
        }
    }

    public void Dispose() => _corpus?.Dispose();

    private sealed class Corpus : LinksCorpus
    {
        public Corpus(PostgresServer server)
        {
            Fill(PostgresArchive.Open(server.CreateDatabase("links_corpus")));
        }
    }
}

/// <summary>
/// Telegram citations in real volumes, each checked by hand against the TEI: the cited telegram printed in the
/// volume, one the edition says is not printed, or one printed in a volume the archive does not hold. Every backend
/// runs these same tests with the same expected values.
/// </summary>
public abstract class LinksCorpusTests(LinksCorpus corpus)
{
    private LinkView Citation(string source, string number) =>
        corpus.Archive.LinksOf(source, ReaderIdentity.Public)!.Cites.Single(l => l.Kind == ReferenceKind.Telegram && l.Target == number);

    [Theory]
    // 1918 Russia III: Francis in Petrograd and the Department, 1917–1918
    [InlineData("frus1918Russiav03#d2", "1295", "frus1918Russiav03#d1")]   // "Your 1295." – the Department's 1295 of April 3, 1917
    [InlineData("frus1918Russiav03#d4", "1313", "frus1918Russiav03#d3")]   // "Answering your 1313, April 13"
    [InlineData("frus1918Russiav03#d4", "1161", "frus1918Russiav03#d2")]   // "my No. 1161 of the 6th"
    [InlineData("frus1918Russiav03#d10", "1239", "frus1918Russiav03#d9")]  // "Your 1239, May 1, 8 p.m."
    [InlineData("frus1918Russiav03#d91", "364", "frus1918Russiav03#d81")]  // "my 364, August 13" with footnote "Ante, p. 58."
    // 1936 III: Geneva, London, Addis Ababa, Rome
    [InlineData("frus1936v03#d131", "121", "frus1936v03#d130")]            // Gilbert: "my 121, April 16, midnight"
    [InlineData("frus1936v03#d139", "254", "frus1936v03#d135")]            // Bingham's despatch: "my No. 254, May 7, 4 p.m."
    [InlineData("frus1936v03#d218", "389", "frus1936v03#d214")]            // Department to Bingham: "your 389, August 5, 7 p.m."
    [InlineData("frus1936v03#d290", "187", "frus1936v03#d288")]            // Engert: "report in your 187"
    [InlineData("frus1936v03#d381", "242", "frus1936v03#d172")]            // footnote: "telegram No. 242, June 30, noon, … p. 173"
    [InlineData("frus1936v03#d411", "491", "frus1936v03#d410")]            // Department to Phillips: "Your 491, November 27"
    [InlineData("frus1936v03#d100", "10", "frus1936v03#d94")]              // Atherton in London: "my 10, January 9" (Bingham's, same embassy)
    // 1948 V part 1: Jidda, New Delhi, the Kashmir commission
    [InlineData("frus1948v05p1#d173", "77", "frus1948v05p1#d170")]        // Childs: "Legtel 77, February 21"
    [InlineData("frus1948v05p1#d239", "124", "frus1948v05p1#d237")]       // Grady: "Your 124 February 25"
    [InlineData("frus1948v05p1#d322", "865", "frus1948v05p1#d319")]       // "New Delhi's telegram no. 865 of September 20, 1948"
    [InlineData("frus1948v05p1#d201", "648", "frus1948v05p1#d198")]       // "Legtels 648 and 651" with footnote "pp. 260, 262"
    [InlineData("frus1948v05p1#d201", "651", "frus1948v05p1#d200")]
    [InlineData("frus1948v05p1#d343", "824", "frus1948v05p1#d304")]       // footnote: "Sent as telegram 824 from New Delhi, September 13, p. 385."
    [InlineData("frus1948v05p1#d350", "1391", "frus1948v05p1#d325")]      // "telegrams 1391, …, and 1416, … pp. 412 and 425, respectively"
    [InlineData("frus1948v05p1#d350", "1416", "frus1948v05p1#d340")]
    // abbreviations the edition marks up as glossary terms: "<gloss>Deptel</gloss> 170" is one citation
    [InlineData("frus1948v05p1#d9", "164", "frus1948v05p1#d8")]           // Childs's 166: "Mytel 164." – his 164 of the same day
    [InlineData("frus1948v05p1#d14", "170", "frus1948v05p1#d11")]         // to Cairo: "Deptel 170 May 8 to Jidda"
    [InlineData("frus1948v05p1#d39", "399", "frus1948v05p1#d35")]         // to Jidda: "(Deptel 399. Oct. 20)"
    [InlineData("frus1948v05p1#d58", "5", "frus1948v05p1#d55")]           // Allen: "(Deptel 5, January 3)", not the Department's 5 to Austin of January 6 (d210)
    [InlineData("frus1948v05p1#d60", "15", "frus1948v05p1#d57")]          // Allen: "(Deptel 15, January 8)", not New Delhi's 15 of January 7 (d211)
    public void A_cited_telegram_printed_in_the_archive_resolves_to_it(string source, string number, string expected)
    {
        var link = Citation(source, number);
        Assert.Equal((LinkStatus.Resolved, expected), (link.Status, link.TargetId));
    }

    [Theory]
    [InlineData("frus1918Russiav03#d42", "5860")]   // House: "Your 5860[Not printed.]"
    [InlineData("frus1936v03#d290", "189")]         // "Your 189[Not printed.] and 190"
    [InlineData("frus1936v03#d42", "246")]          // "my 246, December 21[Not printed.]"
    [InlineData("frus1948v05p1#d168", "57")]        // "re Legtel 57, Feb 10[Not printed.]"
    [InlineData("frus1948v05p1#d181", "206")]       // "my telegrams No. 206 of April 14 and No. 209 …[Neither printed.]"
    [InlineData("frus1948v05p1#d343", "1357")]      // footnote: "Sent as telegram 1357 from Geneva, October 5, not printed."
    [InlineData("frus1948v05p1#d17", "469")]        // "<gloss>Deptel</gloss> 469, May 24[Not printed; it advised …]"
    public void A_cited_telegram_the_edition_does_not_print_is_not_printed(string source, string number)
    {
        Assert.Equal(LinkStatus.NotPrinted, Citation(source, number).Status);
    }

    [Theory]
    [InlineData("frus1918Russiav03#d5", "1211", "footnote 1 points to frus1918Russiav01#pg_27: volume frus1918Russiav01 is not in the archive")]
    [InlineData("frus1918Russiav03#d53", "2379", "no telegram numbered 2379 in the archive")] // printed "my 2379 [2369]": the number as printed is not in the volume
    [InlineData("frus1936v03#d210", "200", "footnote 67 points to frus1935v01#pg_818: volume frus1935v01 is not in the archive")]
    [InlineData("frus1936v03#d259", "219", "footnote 12 points to frus1936v01#pg_322: volume frus1936v01 is not in the archive")]
    [InlineData("frus1948v05p1#d14", "4389", "the citation points to frus1947v05#pg_666: volume frus1947v05 is not in the archive")]
    [InlineData("frus1948v05p1#d109", "5142", "no telegram numbered 5142 in the archive")] // 1946's telegram to Paris, printed in vol. VII of 1946
    [InlineData("frus1948v05p1#d40", "4813", "no telegram numbered 4813 in the archive")]  // "<gloss>urtel</gloss> 4813 Nov 10": London's, printed nowhere in the volume
    public void A_cited_telegram_not_in_the_archive_is_unresolved_with_the_reason(string source, string number, string reason)
    {
        var link = Citation(source, number);
        Assert.Equal((LinkStatus.Unresolved, null, reason), (link.Status, link.TargetId, link.Reason));
    }

    [Fact]
    public void Every_explicit_target_inside_the_ingested_volumes_resolves()
    {
        Assert.Equal(
            LinksCorpus.Volumes.Select(v => (v, 1.0)),
            corpus.Report.Volumes.Where(v => LinksCorpus.Volumes.Contains(v.Volume)).Select(v => (v.Volume, v.TargetShare)));
    }

    [Fact]
    public void The_report_for_the_public_counts_the_links_of_the_released_volumes_as_the_rebuild_did()
    {
        // the withheld seed's volume is left out: its links are not the public's to count
        Assert.Equal(corpus.Report.Volumes.Where(v => LinksCorpus.Volumes.Contains(v.Volume)), corpus.Archive.ReportLinks(ReaderIdentity.Public));
    }

    [Fact]
    public void The_seed_cites_document_577_which_is_not_ingested()
    {
        // the seed is a top secret telegram the reader stores withheld: only a cleared reader sees it and its links
        var link = corpus.Archive.LinksOf("frus1945Berlinv01#d578", ReaderIdentity.System)!.Cites.Single(l => l.Kind == ReferenceKind.Document);
        Assert.Equal(("frus1945Berlinv01#d577", LinkStatus.Unresolved, "d577 of frus1945Berlinv01 is not in the archive (only loose telegrams of that volume are)"),
            (link.Target, link.Status, link.Reason));
    }

    [Fact]
    public void The_seed_lists_its_two_cited_telegrams_as_unresolved_with_their_dates()
    {
        var telegrams = corpus.Archive.LinksOf("frus1945Berlinv01#d578", ReaderIdentity.System)!.Cites.Where(l => l.Kind == ReferenceKind.Telegram)
            .Select(l => (l.Target, l.Status, l.CitedDate, l.Reason));
        Assert.Equal(
            [
                ("120015", LinkStatus.Unresolved, "July 11–12", "no telegram numbered 120015 in the archive; the edition points to frus1945Berlinv01#d577 for 2 numbers"),
                ("120755", LinkStatus.Unresolved, "July 11–12", "no telegram numbered 120755 in the archive; the edition points to frus1945Berlinv01#d577 for 2 numbers"),
            ],
            telegrams);
    }

    [Fact]
    public void Harriman_is_known_from_pocom_as_ambassador_to_the_soviet_union_and_as_the_seed_sender()
    {
        var harriman = corpus.Archive.GetPerson("W. Averell Harriman", ReaderIdentity.System)!;
        Assert.Equal("harriman-william-averell", harriman.OfficialId);
        Assert.Contains("Ambassador to the Soviet Union (1943–1946)", harriman.Posts.Select(p => p.Summary));
        Assert.Contains("frus1945Berlinv01#d578", harriman.Sent.Select(d => d.Id));
    }

    [Fact]
    public void The_public_sees_neither_the_withheld_seed_nor_its_links()
    {
        Assert.Null(corpus.Archive.LinksOf("frus1945Berlinv01#d578", ReaderIdentity.Public));
        Assert.DoesNotContain("frus1945Berlinv01#d578", corpus.Archive.GetPerson("W. Averell Harriman", ReaderIdentity.Public)!.Sent.Select(d => d.Id));
    }

    [Fact]
    public void A_thread_in_a_real_volume_follows_the_telegrams_citing_each_other()
    {
        // Francis's 1161 answers the Department's 1295; 1204 answers 1313 and cites 1161; 1211 follows 1204
        var thread = corpus.Archive.GetThread("frus1918Russiav03#d2", ReaderIdentity.Public).Select(e => e.Id).ToList();
        Assert.Equal(["frus1918Russiav03#d1", "frus1918Russiav03#d2"], thread.Take(2));
        Assert.Contains("frus1918Russiav03#d4", thread);
    }
}

/// <summary><see cref="LinksCorpusTests"/> on the embedded archive.</summary>
public sealed class SqliteLinksCorpusTests(LinksCorpusFixture corpus) : LinksCorpusTests(corpus), IClassFixture<LinksCorpusFixture>;

/// <summary><see cref="LinksCorpusTests"/> on the server archive.</summary>
[Collection("postgres")]
public sealed class PostgresLinksCorpusTests(PostgresServer server, PostgresLinksCorpusFixture corpus)
    : LinksCorpusTests(corpus.For(server)), IClassFixture<PostgresLinksCorpusFixture>;

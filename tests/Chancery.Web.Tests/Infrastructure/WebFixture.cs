using System.Diagnostics;
using Chancery.Archive;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Ingest.Tei;
using Chancery.Ingest.Telegrams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;

namespace Chancery.Web.Tests.Infrastructure;

/// <summary>
/// One archive in a temp folder with real data: FRUS 1948 vol. V part 1, the project's sample volume and the seed
/// telegram (withheld: top secret, PERSONAL-FOR) in frus1945Berlinv01; two named users; and the web host over it
/// on a free 127.0.0.1 port.
/// </summary>
public class WebFixture : IAsyncLifetime
{
    public const string CorpusVolume = "frus1948v05p1";
    public const string SeedVolume = "frus1945Berlinv01";
    public const string Officer = "officer";
    public const string OfficerPassword = "correct horse battery staple";
    public const string SecretReader = "secret-reader";
    public const string SecretReaderPassword = "tinker tailor soldier";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chancery-web-tests-" + Guid.NewGuid().ToString("N"));

    public SqliteArchive Archive { get; private set; } = null!;

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A bearer token of <see cref="Officer"/> (top secret, PERSONAL-FOR).</summary>
    public string OfficerToken { get; private set; } = "";

    /// <summary>A bearer token of <see cref="SecretReader"/> (secret, no controls).</summary>
    public string SecretToken { get; private set; } = "";

    /// <summary>The seed telegram's id as the reader gives it.</summary>
    public string SeedId { get; private set; } = "";

    public UserAccount OfficerAccount => Archive.GetUser(Officer)!;

    /// <summary>Many tests sign in from one address: the shared host allows that; one test checks the limit on its own host.</summary>
    protected virtual string[] HostArguments => ["--Chancery:SignInPermitsPerMinute=10000"];

    public async Task InitializeAsync()
    {
        Archive = SqliteArchive.Open(_folder);
        var clock = Stopwatch.StartNew();
        IngestTei(Archive, TestPaths.Corpus(CorpusVolume));
        IngestTei(Archive, TestPaths.SampleVolume);
        SeedId = IngestSeed(Archive);
        var hasher = new PasswordHasher<string>();
        Archive.AddUser(new UserAccount(Officer, ClassificationLevel.TopSecret, ["PERSONAL-FOR"], DateTimeOffset.UtcNow,
            hasher.HashPassword(Officer, OfficerPassword)));
        Archive.AddUser(new UserAccount(SecretReader, ClassificationLevel.Secret, [], DateTimeOffset.UtcNow,
            hasher.HashPassword(SecretReader, SecretReaderPassword)));
        OfficerToken = Archive.IssueToken(Officer);
        SecretToken = Archive.IssueToken(SecretReader);
        await Prepare();
        Console.WriteLine($"web test archive ready in {clock.Elapsed.TotalSeconds:F1} s");
        (App, BaseAddress) = await StartHost(Archive, HostArguments);
    }

    /// <summary>More data or decisions before the host starts.</summary>
    protected virtual Task Prepare() => Task.CompletedTask;

    public static void IngestTei(IArchive archive, string path)
    {
        using var reader = TeiVolumeReader.Open(path);
        var documents = reader.ReadDocuments().ToList();
        var volume = reader.Volume;
        using var ingest = archive.BeginVolume(volume.Id);
        foreach (var d in documents)
        {
            ingest.Add(d);
        }
        ingest.Commit(volume);
    }

    public static string IngestSeed(IArchive archive)
    {
        var seed = TelegramTextReader.ReadFile(TestPaths.Seed, SeedVolume);
        archive.UpsertDocuments(new Volume
        {
            Id = SeedVolume,
            Title = "Foreign Relations of the United States: Diplomatic Papers, The Conference of Berlin (The Potsdam Conference), 1945, Volume I",
            SourceKind = "telegram",
            SourceSha256 = seed.SourceSha256,
            SourceBytes = new FileInfo(TestPaths.Seed).Length,
        }, [seed]);
        return seed.Id;
    }

    /// <summary>Starts a host over <paramref name="archive"/> on a free port.</summary>
    public static async Task<(WebApplication App, Uri BaseAddress)> StartHost(IArchive archive, string[] args)
    {
        var app = WebHost.Build(archive, args, "http://127.0.0.1:0");
        await app.StartAsync();
        return (app, new Uri(app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>A client that does not follow redirects or keep cookies (tests handle both themselves).</summary>
    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }

    public virtual async Task DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Archive.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a reader still closing; the temp folder is left for the system to clear
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "web";
}

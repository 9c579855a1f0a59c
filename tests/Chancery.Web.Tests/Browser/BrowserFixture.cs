using System.Diagnostics;
using Chancery.Archive;
using Chancery.Core.Access;
using Chancery.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Chancery.Web.Tests.Browser;

/// <summary>
/// The web fixture's data with the seed released after review, paragraph 2 excised; and a headless Chromium
/// (Debian's, never a downloaded one) driven by Playwright.
/// </summary>
public sealed class BrowserFixture : WebFixture
{
    public const string ExcisedParagraphStart = "As to the management of the railroads";

    private IPlaywright? _playwright;
    private readonly string _config = Path.Combine(Path.GetTempPath(), "chancery-xdg-" + Guid.NewGuid().ToString("N"));

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The axe-core script, installed by npm into tests/Chancery.Web.Tests/axe.</summary>
    public string AxeScript { get; private set; } = "";

    protected override async Task Prepare()
    {
        var review = Archive.Review(new ReviewDecision(SeedId, ReviewAction.Release, [new ExciseSpan(2)], "released for the browser tests"), OfficerAccount)
            ?? throw new InvalidOperationException("the officer could not review the seed");
        Assert.Equal(ReviewAction.Release, review.Action);
        // the first search catches the full-text index up with the review; done here so that no page waits for it
        Assert.Equal(32, Archive.Search(new SearchRequest("Dhahran", Facets: true), ReaderIdentity.Public, "test").Total);

        var executable = Environment.GetEnvironmentVariable("CHANCERY_TEST_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"no Chromium at {executable}: install it with `apt-get install -y chromium` (scripts/test-all.sh does) or set CHANCERY_TEST_CHROMIUM");
        }
        // Chromium writes its profile under XDG_CONFIG_HOME: a temp folder of our own, removed at the end
        var config = _config;
        Directory.CreateDirectory(config);
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", config);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            Env = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = config },
        });
        AxeScript = await File.ReadAllTextAsync(await EnsureAxe());
    }

    /// <summary>Runs <c>npm ci</c> in the axe folder when its node_modules are missing.</summary>
    private static async Task<string> EnsureAxe()
    {
        var folder = Path.Combine(TestPaths.Repo, "tests", "Chancery.Web.Tests", "axe");
        var script = Path.Combine(folder, "node_modules", "axe-core", "axe.min.js");
        if (File.Exists(script))
        {
            return script;
        }
        var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("cannot start npm (install Node.js and npm)");
        var stderr = npm.StandardError.ReadToEndAsync();
        await npm.StandardOutput.ReadToEndAsync();
        await npm.WaitForExitAsync();
        if (npm.ExitCode != 0 || !File.Exists(script))
        {
            throw new InvalidOperationException($"`npm ci` in {folder} failed ({npm.ExitCode}): {await stderr}");
        }
        return script;
    }

    public async Task<IPage> NewPage(bool javaScript = true, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        // a loaded CI machine (two cores, the other test assemblies running) can take longer than Playwright's 30 s
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return await context.NewPageAsync();
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_config, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be letting go of its files; the temp folder is left for the system
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

using Microsoft.Extensions.Configuration;

namespace Chancery.Web.Hosting;

/// <summary>
/// Settings of the web host, read from the configuration section <c>Chancery</c> (command line
/// <c>--Chancery:SignInPermitsPerMinute=10</c>, environment <c>Chancery__OaiPageSize=50</c>).
/// </summary>
public sealed record WebSettings
{
    /// <summary>Sign-in attempts one client address may make per minute before it is answered 429.</summary>
    public int SignInPermitsPerMinute { get; init; } = 5;

    /// <summary>Headers or records per OAI-PMH list response before a resumption token is issued.</summary>
    public int OaiPageSize { get; init; } = 100;

    /// <summary>The repository name OAI-PMH Identify reports and pages show.</summary>
    public string RepositoryName { get; init; } = "Chancery";

    /// <summary>The OAI-PMH repository identifier (a domain-name-like token) used in <c>oai:ID:volume/doc</c> identifiers.</summary>
    public string OaiRepositoryIdentifier { get; init; } = "chancery.local";

    /// <summary>The administrator address OAI-PMH Identify reports.</summary>
    public string AdminEmail { get; init; } = "archivist@chancery.local";

    /// <summary>Hits per page on the search page.</summary>
    public int SearchPageSize { get; init; } = 20;

    /// <summary>
    /// Memory for the public's finished pages, kept until the archive changes (<c>Chancery:PageCacheMegabytes</c>);
    /// 0 turns the page cache off.
    /// </summary>
    public int PageCacheMegabytes { get; init; } = 64;

    internal static WebSettings From(IConfiguration configuration)
    {
        var s = new WebSettings();
        var section = configuration.GetSection("Chancery");
        return s with
        {
            SignInPermitsPerMinute = Int(section, nameof(SignInPermitsPerMinute), s.SignInPermitsPerMinute, 1, 10_000),
            OaiPageSize = Int(section, nameof(OaiPageSize), s.OaiPageSize, 1, 1_000),
            SearchPageSize = Int(section, nameof(SearchPageSize), s.SearchPageSize, 1, 100),
            PageCacheMegabytes = Int(section, nameof(PageCacheMegabytes), s.PageCacheMegabytes, 0, 16 * 1024),
            RepositoryName = section[nameof(RepositoryName)] is { Length: > 0 } name ? name : s.RepositoryName,
            OaiRepositoryIdentifier = section[nameof(OaiRepositoryIdentifier)] is { Length: > 0 } id ? id : s.OaiRepositoryIdentifier,
            AdminEmail = section[nameof(AdminEmail)] is { Length: > 0 } mail ? mail : s.AdminEmail,
        };
    }

    private static int Int(IConfigurationSection section, string key, int fallback, int min, int max) =>
        int.TryParse(section[key], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? Math.Clamp(v, min, max)
            : fallback;
}

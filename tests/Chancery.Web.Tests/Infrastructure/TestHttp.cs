using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Chancery.Web.Tests.Infrastructure;

/// <summary>A fetched response: status, headers and body, with the body parsed as HTML on demand.</summary>
public sealed record Fetched(HttpStatusCode Status, HttpResponseMessage Response, string Body)
{
    private IHtmlDocument? _html;

    public IHtmlDocument Html => _html ??= new HtmlParser().ParseDocument(Body);

    public string? Header(string name) =>
        Response.Headers.TryGetValues(name, out var v) ? string.Join(", ", v)
        : Response.Content.Headers.TryGetValues(name, out var c) ? string.Join(", ", c) : null;

    public string? ContentType => Response.Content.Headers.ContentType?.ToString();
}

public static partial class TestHttp
{
    public static async Task<Fetched> Get(this HttpClient client, string path, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Fetched(response.StatusCode, response, body);
    }

    /// <summary>Text with white space folded, as a reader sees it.</summary>
    public static string Folded(string? text) => FoldPattern().Replace(text ?? "", " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex FoldPattern();
}

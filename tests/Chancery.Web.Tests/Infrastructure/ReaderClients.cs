using System.Net;

namespace Chancery.Web.Tests.Infrastructure;

/// <summary>The readers of the access matrix, each as an HTTP client of its own.</summary>
public enum Reader
{
    Public,
    OfficerCookie,
    SecretReaderCookie,
    OfficerBearer,
    SecretReaderBearer,
}

public static class ReaderClients
{
    /// <summary>
    /// A client reading as <paramref name="reader"/>: no credentials, signed in through the sign-in form (a cookie), or
    /// with a bearer token. Redirects are not followed.
    /// </summary>
    public static async Task<HttpClient> ClientAs(this WebFixture web, Reader reader)
    {
        switch (reader)
        {
            case Reader.OfficerBearer:
                return web.Client(web.OfficerToken);
            case Reader.SecretReaderBearer:
                return web.Client(web.SecretToken);
            case Reader.OfficerCookie:
                return await SignedIn(web.BaseAddress, WebFixture.Officer, WebFixture.OfficerPassword);
            case Reader.SecretReaderCookie:
                return await SignedIn(web.BaseAddress, WebFixture.SecretReader, WebFixture.SecretReaderPassword);
            default:
                return web.Client();
        }
    }

    private static async Task<HttpClient> SignedIn(Uri baseAddress, string name, string password)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = baseAddress };
        var form = await client.Get("/signin");
        var token = form.Html.QuerySelector("form.signin-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["name"] = name,
            ["password"] = password,
            ["returnUrl"] = "/",
        });
        using var response = await client.PostAsync("/signin", content);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"signing in as {name} answered {(int)response.StatusCode}");
        }
        return client;
    }
}

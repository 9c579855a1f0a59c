using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Chancery.Archive;
using Chancery.Core.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Hosting;

/// <summary>Who is asking in this request: the public, or a named user signed in by cookie or bearer token.</summary>
internal sealed record ReaderContext(ReaderIdentity Reader, UserAccount? User, string? Via)
{
    public static readonly ReaderContext Public = new(ReaderIdentity.Public, null, null);

    public bool IsPublic => Reader.IsPublic;
}

/// <summary>
/// Decides the reader of each request, once, before any endpoint runs: a bearer token wins, then the sign-in
/// cookie, else the public. The user is read from the archive on every request, so a removed user or a changed
/// clearance takes effect at once; nothing about a reader is kept between requests.
/// </summary>
internal static class Readers
{
    private const string ItemKey = "chancery.reader";

    /// <summary>The claim carrying a fingerprint of the password hash: a changed password ends old sign-ins.</summary>
    public const string StampClaim = "chancery:stamp";

    public static ReaderContext Reader(this HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var r) && r is ReaderContext reader ? reader : ReaderContext.Public;

    public static string Stamp(UserAccount user) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("chancery-signin\n" + user.Name + "\n" + (user.PasswordHash ?? ""))))[..32];

    public static async Task Resolve(HttpContext context, RequestDelegate next)
    {
        var archive = context.RequestServices.GetRequiredService<IArchive>();
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
            var user = token.Length is > 0 and <= 512 ? archive.FindUserByToken(token) : null;
            if (user is null)
            {
                // an unknown token is refused rather than quietly served as the public: the caller meant to be someone
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                await Problems.Write(context, StatusCodes.Status401Unauthorized, "invalid-token", "Invalid bearer token",
                    "The Authorization header does not carry a bearer token this archive issued. Ask for a token with `chancery users token NAME`, or send no Authorization header to read as the public.");
                return;
            }
            context.Items[ItemKey] = new ReaderContext(user.Identity, user, "bearer");
            await next(context);
            return;
        }

        var principal = context.User;
        if (principal.Identity?.IsAuthenticated == true && principal.Identity.Name is { } name)
        {
            var user = archive.GetUser(name);
            if (user is not null && principal.FindFirstValue(StampClaim) == Stamp(user))
            {
                context.Items[ItemKey] = new ReaderContext(user.Identity, user, "cookie");
            }
            else
            {
                // the user was removed or the password changed since sign-in
                await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                context.User = new ClaimsPrincipal(new ClaimsIdentity());
            }
        }
        await next(context);
    }
}

using System.Security.Claims;
using Chancery.Archive;
using Chancery.Web.Hosting;
using Chancery.Web.Html;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;

namespace Chancery.Web.Pages;

/// <summary>
/// Sign-in and sign-out for named users: the password is checked with ASP.NET Core Identity's hasher against the
/// stored hash; the session is an HttpOnly cookie; the forms carry anti-forgery tokens; attempts are rate-limited.
/// </summary>
internal static class SignInPages
{
    public const string RateLimitPolicy = "signin";

    private static readonly PasswordHasher<string> Hasher = new();

    // an unknown name costs the same hash check as a known one, so timing does not tell which names exist
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword("decoy", Guid.NewGuid().ToString("N")));

    public static void Map(WebApplication app)
    {
        app.MapRead("/signin", ShowSignIn);
        app.MapPost("/signin", SignIn).RequireRateLimiting(RateLimitPolicy);
        app.MapRead("/signout", ShowSignOut);
        app.MapPost("/signout", (Delegate)SignOut);
    }

    private static IResult ShowSignIn(HttpContext context)
    {
        var returnUrl = LocalUrl(context.Request.Query["returnUrl"].ToString());
        return Form(context, returnUrl, "", null, StatusCodes.Status200OK);
    }

    private static IResult Form(HttpContext context, string returnUrl, string name, string? error, int status)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var reader = context.Reader();
        return Layout.Page(context, "Sign in", h =>
        {
            h.Element("h1", "Sign in");
            if (reader.User is not null)
            {
                h.Open("p").Text("You are signed in as ").Element("strong", reader.User.Name).Text(". Signing in again replaces that session.").Close("p");
            }
            h.Element("p", "Named readers sign in to see documents their clearance allows. Without signing in you read what is released to the public.");
            if (error is not null)
            {
                h.Element("p", error, ("class", "form-error"), ("role", "alert"), ("id", "signin-error"));
            }
            h.Open("form", ("method", "post"), ("action", "/signin"), ("class", "signin-form"));
            h.Void("input", ("type", "hidden"), ("name", tokens.FormFieldName), ("value", tokens.RequestToken));
            h.Void("input", ("type", "hidden"), ("name", "returnUrl"), ("value", returnUrl));
            h.Open("div", ("class", "field"));
            h.Element("label", "Name", ("for", "name"));
            h.Void("input", ("id", "name"), ("name", "name"), ("type", "text"), ("autocomplete", "username"), ("required", ""), ("maxlength", "200"),
                ("value", name), ("aria-describedby", error is null ? null : "signin-error"));
            h.Close("div");
            h.Open("div", ("class", "field"));
            h.Element("label", "Password", ("for", "password"));
            h.Void("input", ("id", "password"), ("name", "password"), ("type", "password"), ("autocomplete", "current-password"), ("required", ""), ("maxlength", "1000"));
            h.Close("div");
            h.Element("button", "Sign in", ("type", "submit"));
            h.Close("form");
        }, status);
    }

    private static async Task<IResult> SignIn(HttpContext context, IArchive archive)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        if (!context.Request.HasFormContentType)
        {
            return Refused(context, "The sign-in form was not sent as a form.");
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Refused(context, "The sign-in form has expired or did not come from this site. Open the sign-in page again and retry.");
        }
        var name = form["name"].ToString().Trim();
        var password = form["password"].ToString();
        var returnUrl = LocalUrl(form["returnUrl"].ToString());
        var user = name.Length is > 0 and <= 200 ? archive.GetUser(name) : null;
        var hash = user?.PasswordHash;
        var verified = Hasher.VerifyHashedPassword(name, hash ?? DecoyHash.Value, password) != PasswordVerificationResult.Failed;
        if (user is null || hash is null || !verified)
        {
            return Form(context, returnUrl, name, "The name or password is not right.", StatusCodes.Status200OK);
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(Readers.StampClaim, Readers.Stamp(user))],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl);
    }

    private static IResult ShowSignOut(HttpContext context)
    {
        var reader = context.Reader();
        if (reader.Via != "cookie")
        {
            return Results.Redirect("/");
        }
        return Layout.Page(context, "Sign out", h =>
        {
            h.Element("h1", "Sign out");
            h.Open("p").Text("You are signed in as ").Element("strong", reader.User!.Name).Text(". Use the Sign out button in the banner above to end the session.").Close("p");
        });
    }

    private static async Task<IResult> SignOut(HttpContext context)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
        {
            return Refused(context, "The sign-out form has expired or did not come from this site. Reload the page and retry.");
        }
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect("/");
    }

    private static IResult Refused(HttpContext context, string message) =>
        Layout.Page(context, "Form refused", h =>
        {
            h.Element("h1", "Form refused");
            h.Element("p", message);
            h.Open("p").Link("/signin", "Open the sign-in page").Close("p");
        }, StatusCodes.Status400BadRequest);

    /// <summary>The 429 answer of the sign-in rate limiter.</summary>
    public static ValueTask TooManyAttempts(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "60";
        var page = Layout.Render(context, "Too many sign-in attempts", h =>
        {
            h.Element("h1", "Too many sign-in attempts");
            h.Element("p", "This address has tried to sign in too often. Wait a minute, then try again.");
        });
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return new ValueTask(context.Response.WriteAsync(page));
    }

    /// <summary>Only paths on this site are followed after sign-in (no <c>//host</c> or <c>/\host</c> tricks).</summary>
    public static string LocalUrl(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/' || url.Length > 2000)
        {
            return "/";
        }
        if (url.Length > 1 && (url[1] == '/' || url[1] == '\\'))
        {
            return "/";
        }
        return url.Any(char.IsControl) ? "/" : url;
    }
}

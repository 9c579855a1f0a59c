using System.Threading.RateLimiting;
using Chancery.Archive;
using Chancery.Web.Api;
using Chancery.Web.Oai;
using Chancery.Web.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;

namespace Chancery.Web;

/// <summary>
/// The web host: reader pages, search, sign-in, the JSON API under <c>/api/v1</c> and OAI-PMH at <c>/oai</c>,
/// all over one <see cref="IArchive"/>. Every request decides its reader first and passes it on every archive call.
/// </summary>
public static class WebHost
{
    /// <summary>Largest request body accepted (sign-in form, OAI-PMH POST).</summary>
    public const int MaxRequestBodyBytes = 64 * 1024;

    /// <summary>Builds and starts the host on <paramref name="urls"/> and blocks until it shuts down (Ctrl-C, SIGTERM).</summary>
    public static void Run(IArchive archive, string urls)
    {
        using var app = Build(archive, null, urls);
        app.Run();
    }

    /// <summary>
    /// Builds the host without starting it. <paramref name="args"/> are configuration arguments
    /// (<c>--Chancery:SignInPermitsPerMinute=3</c>); <paramref name="urls"/> where Kestrel listens
    /// (<c>http://127.0.0.1:0</c> picks a free port). The archive is not disposed with the host.
    /// </summary>
    public static WebApplication Build(IArchive archive, string[]? args = null, string? urls = null)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            // never the developer exception page, whatever ASPNETCORE_ENVIRONMENT says
            EnvironmentName = Environments.Production,
            ApplicationName = typeof(WebHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (urls is not null)
        {
            builder.WebHost.UseUrls(urls);
        }

        // request lines carry search queries and paths carry document ids: framework request logs stay off, and
        // unhandled exceptions are logged by our handler without their messages (which could quote a document)
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error);
        // keys live in the user's profile, as ASP.NET Core keeps them on Linux; the warning says so on every start
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        builder.WebHost.ConfigureKestrel(o =>
        {
            o.AddServerHeader = false;
            o.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            o.Limits.MaxRequestLineSize = 16 * 1024;
        });
        builder.Services.Configure<FormOptions>(o =>
        {
            o.ValueLengthLimit = MaxRequestBodyBytes;
            o.MultipartBodyLengthLimit = MaxRequestBodyBytes;
            o.ValueCountLimit = 64;
        });

        var settings = Hosting.WebSettings.From(builder.Configuration);
        builder.Services.AddSingleton(archive);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<Hosting.VolumeCatalog>();
        builder.Services.AddSingleton<Hosting.PageCache>();
        builder.Services.AddSingleton<CablePages.CableWake>();
        builder.Services.AddHostedService<Hosting.ArchiveMaintenance>();

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = "chancery.signin";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.LogoutPath = "/signout";
            o.AccessDeniedPath = "/signin";
        });
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "chancery.antiforgery";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__RequestVerificationToken";
            // we send X-Frame-Options: DENY ourselves, for every page
            o.SuppressXFrameOptionsHeader = true;
        });
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInPages.RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.SignInPermitsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            o.OnRejected = (ctx, _) => SignInPages.TooManyAttempts(ctx.HttpContext);
        });

        var app = builder.Build();

        app.Use(Hosting.SecurityHeaders.Apply);
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = Hosting.Failures.Handle });
        app.Use(ConcurrencyLimit(builder.Configuration));
        app.Use(Hosting.SecurityHeaders.LimitBody);
        app.UseRouting();
        app.UseAuthentication();
        app.Use(Hosting.Readers.Resolve);
        // after the reader is known and the endpoint chosen: only the public's pages on opted-in routes are kept
        var pages = app.Services.GetRequiredService<Hosting.PageCache>();
        app.Use(pages.Handle);
        app.UseRateLimiter();

        Assets.Map(app);
        ReaderPages.Map(app);
        LinkPages.Map(app);
        SignInPages.Map(app);
        ApiEndpoints.Map(app);
        OaiPmh.Map(app);
        CablePages.Map(app);
        CableEndpoints.Map(app);
        // GET and HEAD only: another method on a known address answers 405, not 404
        app.MapFallback(Hosting.Failures.NotFound).WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        return app;
    }

    /// <summary>Requests that run at once (configuration <c>Chancery:MaxConcurrentRequests</c>).</summary>
    public const int MaxConcurrentRequests = 64;

    /// <summary>Requests that may wait for a turn (<c>Chancery:RequestQueueLimit</c>), each at most <c>Chancery:RequestQueueSeconds</c> (5).</summary>
    public const int RequestQueueLimit = 256;

    // Past the running and waiting requests, or after waiting too long, the answer is 503 with Retry-After at once:
    // an overloaded server refuses quickly instead of letting connections hang.
    private static Func<HttpContext, RequestDelegate, Task> ConcurrencyLimit(IConfiguration configuration)
    {
        static int Setting(IConfiguration c, string key, int fallback, int min) =>
            int.TryParse(c["Chancery:" + key], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? Math.Max(v, min) : fallback;
        var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Setting(configuration, nameof(MaxConcurrentRequests), MaxConcurrentRequests, 1),
            QueueLimit = Setting(configuration, nameof(RequestQueueLimit), RequestQueueLimit, 0),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        var patience = TimeSpan.FromSeconds(Setting(configuration, "RequestQueueSeconds", 5, 1));
        return async (context, next) =>
        {
            // a free permit is taken at once; only a request that has to queue pays for the timed wait
            RateLimitLease? lease = limiter.AttemptAcquire(1);
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                lease = null;
            }
            if (lease is null)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                wait.CancelAfter(patience);
                try
                {
                    lease = await limiter.AcquireAsync(1, wait.Token);
                }
                catch (OperationCanceledException)
                {
                    // waited too long, or the client went away: answered as busy below
                }
            }
            using (lease)
            {
                if (lease is not { IsAcquired: true })
                {
                    context.Response.Headers.RetryAfter = "1";
                    await Hosting.Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "server-busy", Hosting.Problems.Types["server-busy"].Title,
                        "Too many requests are running at once; try again in a second.");
                    return;
                }
                await next(context);
            }
        };
    }
}

using System.Collections.Concurrent;
using Chancery.Archive;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Hosting;

/// <summary>
/// Finished HTML pages of the reader kept for the public and served again while the archive is unchanged.
/// Only the public's pages are kept: the public is one access class, so a page rendered for one anonymous reader
/// is the page every anonymous reader gets. A signed-in reader or a bearer token is never served from here and
/// never stored (their rights differ, and their reads of withheld documents are audited on every read). Entries
/// are valid for one archive change marker (<see cref="IArchive.ChangeMarker"/>): any committed write, from this
/// process or another, makes every kept page stale, and an archive that cannot tell keeps nothing. Memory is
/// bounded by <see cref="WebSettings.PageCacheMegabytes"/>; the least recently used pages go first.
/// </summary>
internal sealed class PageCache(IArchive archive, WebSettings settings)
{
    private readonly long _limit = (long)settings.PageCacheMegabytes * 1024 * 1024;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _write = new();
    private long _marker = long.MinValue;
    private long _bytes;
    private long _hits;
    private long _stores;

    /// <summary>Answers served from the cache since start (tests and diagnostics read it).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Pages stored since start.</summary>
    public long Stores => Interlocked.Read(ref _stores);

    /// <summary>Memory the kept pages take, as counted against the limit.</summary>
    public long Bytes
    {
        get
        {
            lock (_write)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Pages kept now.</summary>
    public int Count => _entries.Count;

    /// <summary>The middleware: serves a kept page, or lets the endpoint render and keeps what it rendered.</summary>
    public async Task Handle(HttpContext context, RequestDelegate next)
    {
        if (_limit <= 0 || !Eligible(context) || archive.ChangeMarker() is not { } marker)
        {
            await next(context);
            return;
        }
        Align(marker);
        var key = Key(context.Request);
        if (_entries.TryGetValue(key, out var entry) && entry.Marker == marker)
        {
            entry.Used = Environment.TickCount64;
            Interlocked.Increment(ref _hits);
            await Serve(context, entry);
            return;
        }
        var capture = new PageCapture();
        context.Features.Set(capture);
        await next(context);
        if (capture.Body is { } body && Storable(context.Response))
        {
            Store(key, new Entry(body, context.Response.StatusCode, context.Response.ContentType ?? "text/html; charset=utf-8",
                context.Response.Headers.CacheControl.ToString(), marker) { Used = Environment.TickCount64 });
        }
    }

    /// <summary>A GET or HEAD of a page route that opted in, by the public, with no credentials at all.</summary>
    private static bool Eligible(HttpContext context)
    {
        var request = context.Request;
        return (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && context.GetEndpoint()?.Metadata.GetMetadata<CachedPageMetadata>() is not null
            && ReferenceEquals(context.Reader(), ReaderContext.Public)
            && context.User.Identity?.IsAuthenticated != true
            && request.Headers.Authorization.Count == 0;
    }

    // what the page can depend on besides the archive and the access class: the address, with the host and scheme
    // that citations quote
    private static string Key(HttpRequest request) =>
        string.Concat(request.Scheme, "://", request.Host.Value, request.PathBase.Value, request.Path.Value, request.QueryString.Value);

    // pages, "not found" pages and bad-query pages; never one that sets a cookie or asks not to be stored
    private static bool Storable(HttpResponse response) =>
        response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status404NotFound or StatusCodes.Status400BadRequest
        && response.Headers.SetCookie.Count == 0
        && !response.Headers.CacheControl.ToString().Contains("no-store", StringComparison.Ordinal)
        && !response.Headers.CacheControl.ToString().Contains("private", StringComparison.Ordinal);

    private static Task Serve(HttpContext context, Entry entry)
    {
        var response = context.Response;
        response.StatusCode = entry.Status;
        response.ContentType = entry.ContentType;
        if (entry.CacheControl.Length > 0)
        {
            response.Headers.CacheControl = entry.CacheControl;
        }
        response.ContentLength = entry.Body.Length;
        return response.Body.WriteAsync(entry.Body, context.RequestAborted).AsTask();
    }

    /// <summary>A new marker: every kept page was read under an older state of the archive.</summary>
    private void Align(long marker)
    {
        if (Interlocked.Read(ref _marker) == marker)
        {
            return;
        }
        lock (_write)
        {
            if (_marker != marker)
            {
                _entries.Clear();
                _bytes = 0;
                _marker = marker;
            }
        }
    }

    private void Store(string key, Entry entry)
    {
        var size = Size(key, entry);
        if (size > _limit / 4)
        {
            return;
        }
        lock (_write)
        {
            // rendered under a marker that has already been replaced: never served, not kept
            if (entry.Marker != _marker)
            {
                return;
            }
            if (_entries.TryGetValue(key, out var old))
            {
                _bytes -= Size(key, old);
            }
            _entries[key] = entry;
            _bytes += size;
            _stores++;
            if (_bytes > _limit)
            {
                // down to three quarters at once, so that a full cache does not sort on every store
                foreach (var (k, e) in _entries.OrderBy(p => p.Value.Used).ToList())
                {
                    if (_bytes <= _limit / 4 * 3)
                    {
                        break;
                    }
                    if (_entries.TryRemove(k, out var removed))
                    {
                        _bytes -= Size(k, removed);
                    }
                }
            }
        }
    }

    private static long Size(string key, Entry e) => e.Body.Length + key.Length * 2L + e.ContentType.Length * 2L + e.CacheControl.Length * 2L + 128;

    private sealed record Entry(byte[] Body, int Status, string ContentType, string CacheControl, long Marker)
    {
        public long Used { get; set; }
    }
}

/// <summary>Set by the page cache on a request it may keep: the rendered page hands its bytes over here.</summary>
internal sealed class PageCapture
{
    /// <summary>The whole page as sent, UTF-8.</summary>
    public byte[]? Body { get; set; }

    /// <summary>The capture of this request, or null when the page is not to be kept.</summary>
    public static PageCapture? Of(HttpContext context) => context.Features.Get<PageCapture>();
}

/// <summary>Route metadata: the public's answers on this route may be kept by <see cref="PageCache"/>.</summary>
internal sealed class CachedPageMetadata
{
    public static readonly CachedPageMetadata Instance = new();
}

/// <summary>Opting routes into the page cache.</summary>
internal static class PageCacheRoutes
{
    /// <summary>The public's HTML pages on this route may be kept until the archive changes.</summary>
    public static RouteHandlerBuilder CachedForPublic(this RouteHandlerBuilder route) => route.WithMetadata(CachedPageMetadata.Instance);
}

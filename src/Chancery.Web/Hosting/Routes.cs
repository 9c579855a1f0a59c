namespace Chancery.Web.Hosting;

/// <summary>Route helpers.</summary>
internal static class Routes
{
    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>A read-only route answering GET and HEAD (link checkers and caches ask with HEAD; the server drops the body).</summary>
    public static RouteHandlerBuilder MapRead(this IEndpointRouteBuilder routes, string pattern, Delegate handler) =>
        routes.MapMethods(pattern, GetAndHead, handler);
}

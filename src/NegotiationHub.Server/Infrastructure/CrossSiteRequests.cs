namespace NegotiationHub.Server.Infrastructure;

/// <summary>
/// Cross-site request forgery, refused by the request's own headers rather than SameSite alone
/// (issue 20, item 7): a browser marks every request with <c>Sec-Fetch-Site</c> and every unsafe
/// one with <c>Origin</c>. An unsafe request to the API (POST, PUT, PATCH, DELETE) is refused with
/// 403 when its Origin is neither this site nor on <c>Hub:AllowedOrigins</c>, or when the browser
/// says it comes from another site or another port of this host (<c>same-site</c>,
/// <c>cross-site</c>). Clients that are not browsers (the bots, curl) send neither and pass.
/// </summary>
public static class CrossSiteRequests
{
    /// <summary>True when <paramref name="origin"/> is this site (scheme, host and port) or on <paramref name="allowed"/>.</summary>
    public static bool OriginAllowed(HttpContext context, string origin, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(allowed);
        var self = $"{context.Request.Scheme}://{context.Request.Host}";
        return string.Equals(origin, self, StringComparison.OrdinalIgnoreCase)
            || allowed.Any(a => string.Equals(a.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Refuses cross-site unsafe requests to <c>/api</c>.</summary>
    public static WebApplication UseCrossSiteRequestRefusal(this WebApplication app)
    {
        var allowed = app.Configuration.GetSection("Hub:AllowedOrigins").Get<string[]>() ?? [];
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
                && request.Path.StartsWithSegments("/api"))
            {
                var origin = request.Headers.Origin.ToString();
                var site = request.Headers["Sec-Fetch-Site"].ToString();
                if ((origin.Length > 0 && !OriginAllowed(context, origin, allowed)) || site is "cross-site" or "same-site")
                {
                    await TypedResults.Problem(
                        title: "Cross-site request refused.",
                        detail: "Changes are accepted only from NegotiationHub's own pages.",
                        statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
                    return;
                }
            }

            await next(context);
        });
        return app;
    }
}

namespace NegotiationHub.Server.Infrastructure;

/// <summary>
/// The headers every response carries (issue 20, item 3): a strict Content-Security-Policy (the
/// browser client is one module script and one stylesheet from this origin, with no inline script
/// or style), framing refused, no MIME sniffing, no referrer leaving the site. Kestrel's
/// <c>Server</c> header is switched off in <see cref="ApiSetup"/>; HSTS is sent over HTTPS.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The policy: this origin only (its WebSocket included), no plugins, no framing, no base or form elsewhere.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Adds the headers to every response, including error pages written later in the pipeline.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        // HSTS on HTTPS requests (behind a TLS proxy: X-Forwarded-Proto from a listed proxy), not for
        // localhost; never in Development, where a browser would remember it for the dev host.
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpContext)state).Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
        return app;
    }
}

using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace NegotiationHub.Server.Infrastructure;

/// <summary>
/// The reverse proxies the server trusts (<c>ForwardedHeaders:KnownProxies</c>, addresses, and
/// <c>ForwardedHeaders:KnownNetworks</c>, CIDR): only from them are <c>X-Forwarded-For</c>,
/// <c>-Proto</c> and <c>-Host</c> believed, so the rate limits, the sign-in throttle and the
/// cookie's <c>Secure</c> flag see the real client and scheme (issue 20, item 4). None configured:
/// forwarded headers are ignored (anyone could send them).
/// </summary>
public static class ProxySetup
{
    public static IHostApplicationBuilder AddNegotiationHubProxies(this IHostApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
        var networks = builder.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline, and only when a proxy is configured (an empty list would trust every sender).</summary>
    public static WebApplication UseNegotiationHubProxies(this WebApplication app)
    {
        var configured = (app.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>()?.Length ?? 0)
            + (app.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>()?.Length ?? 0);
        if (configured > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}

using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using NegotiationHub.Contracts;
using NegotiationHub.Server.Infrastructure;
using NegotiationHub.Server.Live;

namespace NegotiationHub.Server.Realtime;

/// <summary>Registers and maps the negotiation hub with its guards.</summary>
public static class HubSetup
{
    public static IHostApplicationBuilder AddNegotiationHubRealtime(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RealtimeOptions>().BindConfiguration("Hub");
        var hubOptions = builder.Configuration.GetSection("Hub").Get<RealtimeOptions>() ?? new RealtimeOptions();
        var signalR = builder.Services.AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = hubOptions.MaximumReceiveMessageSize;
                o.EnableDetailedErrors = false;
                o.AddFilter<HubGuardFilter>();
            })
            .AddJsonProtocol(o => JsonSetup.Configure(o.PayloadSerializerOptions));
        if (builder.Configuration.GetSection("Orleans").Get<LiveSessionOptions>() is { Clustered: true } cluster)
        {
            // A session's grain lives on one node; its members may be connected to any: group
            // membership and broadcasts go through Redis to every node (ADR 0019).
            signalR.AddStackExchangeRedis(cluster.Redis!, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal($"negotiationhub:{cluster.ClusterId}"));
        }

        builder.Services.AddSingleton<HubGuardFilter>();
        builder.Services.AddSingleton<ISessionRooms, HubSessionRooms>();
        builder.Services.AddSingleton<LiveWriter>();
        builder.Services.AddSingleton<LiveSessionMetrics>();
        builder.AddNegotiationHubLiveSessions();
        return builder;
    }

    public static WebApplication MapNegotiationHub(this WebApplication app)
    {
        // Cross-site WebSocket hijacking: a browser always sends Origin; refuse the handshake unless
        // it is this site or on the allow-list. Non-browser clients (bots) send none.
        var echo = app.Configuration.GetValue<bool>("Hub:EnableEchoHub");
        app.UseWhen(c => c.Request.Path.StartsWithSegments(HubRoutes.Negotiation) || (echo && c.Request.Path.StartsWithSegments(EchoHubContract.Route)), branch => branch.Use(async (context, next) =>
        {
            var origin = context.Request.Headers.Origin.ToString();
            if (origin.Length > 0 && !OriginAllowed(context, origin))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("Origin not allowed.");
                return;
            }

            await next();
        }));
        app.MapHub<NegotiationSessionHub>(HubRoutes.Negotiation);
        if (echo)
        {
            // The load driver's floor (scripts/load.sh); never on unless configured.
            app.MapHub<EchoHub>(EchoHubContract.Route);
        }
        return app;
    }

    private static bool OriginAllowed(HttpContext context, string origin) =>
        Infrastructure.CrossSiteRequests.OriginAllowed(context, origin, context.RequestServices.GetRequiredService<IOptions<RealtimeOptions>>().Value.AllowedOrigins);
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;
using Orleans.Configuration;
using Orleans.Serialization;

namespace NegotiationHub.Server.Live;

/// <summary><c>Orleans:*</c> settings of the co-hosted silo (ADR 0012).</summary>
public sealed class LiveSessionOptions
{
    /// <summary>The silo-to-silo port; 0 (the default) takes a free loopback port, since a single node talks to no other silo.</summary>
    public int SiloPort { get; set; }

    /// <summary>The gateway port for external Orleans clients; 0 (the default) takes a free port.</summary>
    public int GatewayPort { get; set; }

    /// <summary>How long a session's grain stays in memory without calls or an armed deadline before it is deactivated (reloaded from the database on the next call).</summary>
    public TimeSpan IdleDeactivation { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Hosts the live sessions' grains in the server process: one silo, localhost clustering, no new service to run.</summary>
public static class LiveSessionsSetup
{
    /// <summary>
    /// The silo's own maintenance loops run on real time even when the app's clock is a test's
    /// manual one; grain timers (the deadlines) follow the app's <see cref="TimeProvider"/>.
    /// </summary>
    private static readonly string[] BackgroundClocks =
    [
        Orleans.Runtime.TimeProviderNames.ActivationManagement,
        Orleans.Runtime.TimeProviderNames.GrainDirectory,
        Orleans.Runtime.TimeProviderNames.Membership,
        Orleans.Runtime.TimeProviderNames.Messaging,
        Orleans.Runtime.TimeProviderNames.SystemTimers,
    ];

    public static IHostApplicationBuilder AddNegotiationHubLiveSessions(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Orleans").Get<LiveSessionOptions>() ?? new LiveSessionOptions();
        var siloPort = options.SiloPort == 0 ? FreeLoopbackPort() : options.SiloPort;
        var gatewayPort = options.GatewayPort == 0 ? FreeLoopbackPort() : options.GatewayPort;
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "negotiationhub", clusterId: $"negotiationhub-{siloPort}");
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = options.IdleDeactivation);
            // A hub call's trace continues inside the grain (LiveTelemetry).
            silo.AddActivityPropagation();
            // The hub contract's records cross the grain boundary; within one silo they are not
            // copied (the replies are immutable), between silos they travel as JSON.
            silo.Services.AddSerializer(s => s.AddJsonSerializer(isSupported: t => t.Namespace == typeof(global::NegotiationHub.Contracts.BidAck).Namespace));
        });
        foreach (var key in BackgroundClocks)
        {
            builder.Services.AddKeyedSingleton(key, TimeProvider.System);
        }

        builder.Services.AddHostedService<OpenRoundsWaker>();
        return builder;
    }

    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>
    /// A loopback port that is free now, below Linux's ephemeral range (32768–60999): a port the
    /// kernel handed out for port 0 and we released could be taken by any outgoing connection
    /// before the silo binds it (seen as "Address already in use" with many servers in one
    /// process). Never the same port twice in a process.
    /// </summary>
    private static int FreeLoopbackPort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            if (!HandedOut.TryAdd(port, 0))
            {
                continue;
            }

            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try another
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// At start, activates the live session of every open round, so each one's deadline timer is
/// armed again from the database: a round left open by a restart still closes at its deadline.
/// </summary>
public sealed class OpenRoundsWaker(IHostApplicationLifetime lifetime, IGrainFactory grains, IDbContextFactory<NegotiationDbContext> dbFactory, ILogger<OpenRoundsWaker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        try
        {
            List<Guid> sessions;
            await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
            {
                sessions = await db.Rounds.AsNoTracking()
                    .Where(r => r.State == global::NegotiationHub.Contracts.RoundState.Open)
                    .Select(r => r.SessionId)
                    .Distinct()
                    .ToListAsync(stoppingToken);
            }

            foreach (var id in sessions)
            {
                await grains.GetGrain<ILiveSession>(id).Wake();
            }

            if (sessions.Count > 0)
            {
                log.LogInformation("Woke {Count} session(s) with an open round", sessions.Count);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            log.LogError(exception, "Waking the sessions with an open round failed; each wakes on its next call");
        }
    }
}

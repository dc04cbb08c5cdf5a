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

    /// <summary>
    /// The Redis (StackExchange.Redis connection string, e.g. <c>127.0.0.1:6379</c>) of a cluster
    /// of several nodes (ADR 0019): Orleans membership and reminders and SignalR's backplane. Null
    /// (the default): one node, localhost clustering, nothing else to run.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>The cluster's name: nodes with the same Redis and cluster id form one cluster.</summary>
    public string ClusterId { get; set; } = "negotiationhub";

    /// <summary>The address other silos reach this one at (cluster mode); default 127.0.0.1.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// How long a probe of another silo waits (cluster mode). With <see cref="MissedProbesLimit"/>
    /// it bounds how soon a dead node is declared dead and its sessions come back elsewhere:
    /// about ProbeTimeout × MissedProbesLimit plus a probe period. Shorter is faster failover and
    /// more false suspicions on a loaded machine (ADR 0019).
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes before a silo suspects another (cluster mode).</summary>
    public int MissedProbesLimit { get; set; } = 2;

    /// <summary>Whether this node is one of a cluster (<see cref="Redis"/> is set).</summary>
    public bool Clustered => !string.IsNullOrWhiteSpace(Redis);
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
        if (options.Clustered && builder.Configuration.GetSection("Database").Get<Persistence.DatabaseOptions>()?.Provider != DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException("Orleans:Redis (a cluster of several nodes) needs Database:Provider=Postgres: the nodes share one database, and a SQLite file is one machine's.");
        }

        builder.UseOrleans(silo =>
        {
            if (options.Clustered)
            {
                // ADR 0019: membership and reminders in Redis, which the SignalR backplane needs anyway.
                silo.UseRedisClustering(options.Redis!);
                silo.UseRedisReminderService(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(options.Redis!));
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = options.ClusterId;
                    o.ServiceId = "negotiationhub";
                });
                silo.Configure<EndpointOptions>(o =>
                {
                    o.AdvertisedIPAddress = IPAddress.Parse(options.AdvertisedAddress);
                    o.SiloPort = siloPort;
                    o.GatewayPort = gatewayPort;
                    o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, siloPort);
                    o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, gatewayPort);
                });
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = options.ProbeTimeout;
                    o.NumMissedProbesLimit = options.MissedProbesLimit;
                    // Two nodes: the survivor alone must be able to declare the other dead.
                    o.NumVotesForDeathDeclaration = 1;
                });
                // A call to a grain on a node that just died fails in seconds, not the default 30 s; the caller retries.
                silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "negotiationhub", clusterId: $"negotiationhub-{siloPort}");
                silo.UseInMemoryReminderService();
            }

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

        builder.Services.AddSingleton(options);
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

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using NegotiationHub.Bots.Bidding;
using NegotiationHub.Bots.Strategies;
using NegotiationHub.Client;
using NegotiationHub.Client.Transport;
using NegotiationHub.Contracts;

namespace NegotiationHub.Bots.Load;

/// <summary>
/// The load driver (<c>load</c>): sets up N sessions over REST, connects N×parties members, and
/// lets <see cref="PartyBot"/>s with a converging strategy bid about once per
/// <see cref="LoadOptions.BidInterval"/> until every session agrees, while
/// <see cref="RoundConductor"/>s open the rounds; then checks every acknowledged bid against the
/// broadcast round analyses and the stored history. With <see cref="LoadOptions.Echo"/> it sends
/// the same pattern of bids to the bare echo hub instead, for the floor. Every wait is bounded by
/// <see cref="LoadOptions.Timeout"/>.
/// </summary>
public static class LoadDriver
{
    private const int ConnectParallelism = 32;

    /// <summary>How long setting up (accounts, sessions, connections) and checking may take, on top of the traffic's <see cref="LoadOptions.Timeout"/>.</summary>
    private static readonly TimeSpan SetupAllowance = TimeSpan.FromMinutes(4);

    /// <summary>Runs the load and reports what it measured.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range.</exception>
    /// <exception cref="HubAccountException">The set-up was refused (wrong administrator password, …).</exception>
    public static async Task<LoadReport> RunAsync(LoadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Sessions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Sessions, 10_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Parties, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Parties, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRounds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SessionsPerCoordinatorConnection, 1);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter((options.Timeout + SetupAllowance) * (options.WarmupSessions > 0 ? 2 : 1));
        var log = options.Log ?? (_ => { });

        using var setup = await LoadSetup.CreateAccountsAsync(options, bounded.Token).ConfigureAwait(false);
        if (options.WarmupSessions > 0)
        {
            log($"warm-up: {options.WarmupSessions} {(options.Echo ? "echo groups" : "sessions")} run first, not measured");
            var warmup = options with { Sessions = options.WarmupSessions, WarmupSessions = 0, JitQuiet = TimeSpan.Zero };
            var groups = await CreateAsync(warmup, setup, bounded.Token).ConfigureAwait(false);
            var warm = options.Echo
                ? await RunEchoAsync(warmup, setup, groups, _ => { }, bounded.Token).ConfigureAwait(false)
                : await RunNegotiationAsync(warmup, setup, groups, _ => { }, bounded.Token).ConfigureAwait(false);
            if (warm.LostBids > 0 || warm.DuplicatedBids > 0)
            {
                log($"warm-up: {warm.LostBids} bids lost and {warm.DuplicatedBids} duplicated");
            }
        }

        var sessions = await CreateAsync(options, setup, bounded.Token).ConfigureAwait(false);
        log($"{(options.Echo ? "echo" : "negotiation")}: {sessions.Count} sessions × {options.Parties} parties set up");
        return options.Echo
            ? await RunEchoAsync(options, setup, sessions, log, bounded.Token).ConfigureAwait(false)
            : await RunNegotiationAsync(options, setup, sessions, log, bounded.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="pairs"/> pairs on one server, one run after another: the negotiation hub
    /// (<paramref name="negotiation"/>), then the echo floor (<paramref name="echo"/>), then again, so
    /// that each pair's two runs meet the same machine and the ratios can be read pair by pair
    /// (<see cref="LoadPairs"/>). Only the first run of each hub warms up, writes its latency CSV
    /// (as its options say) and reports the server's memory growth; the later ones run warm, and
    /// their RSS would also move with what the runs before left to collect. <paramref name="completed"/>
    /// sees each report as it comes.
    /// </summary>
    /// <returns>Negotiation, echo, negotiation, echo, … in the order run.</returns>
    /// <exception cref="ArgumentException"><paramref name="negotiation"/> drives the echo hub, or <paramref name="echo"/> does not.</exception>
    public static async Task<IReadOnlyList<LoadReport>> RunPairsAsync(LoadOptions negotiation, LoadOptions echo, int pairs, Action<LoadReport>? completed = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(negotiation);
        ArgumentNullException.ThrowIfNull(echo);
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pairs, 20);
        if (negotiation.Echo || !echo.Echo)
        {
            throw new ArgumentException("A pair is a negotiation run (Echo = false) and then an echo run (Echo = true).");
        }

        var reports = new List<LoadReport>(2 * pairs);
        for (var pair = 0; pair < pairs; pair++)
        {
            foreach (var options in (LoadOptions[])[negotiation, echo])
            {
                var report = await RunAsync(pair == 0 ? options : options with { WarmupSessions = 0, LatencyCsv = null }, cancellationToken).ConfigureAwait(false);
                if (pair > 0)
                {
                    // The server's RSS then also moves with what the runs before left to collect: not the connections' cost.
                    report = report with { ServerMemoryGrowthKilobytes = null };
                }

                reports.Add(report);
                completed?.Invoke(report);
            }
        }

        return reports;
    }

    /// <summary>The run's sessions (created over REST), or its echo groups (just ids).</summary>
    private static async Task<IReadOnlyList<Guid>> CreateAsync(LoadOptions options, LoadSetup setup, CancellationToken cancellationToken) =>
        options.Echo
            ? [.. Enumerable.Range(0, options.Sessions).Select(_ => Guid.NewGuid())]
            : await setup.CreateSessionsAsync(options.Sessions, cancellationToken).ConfigureAwait(false);

    private static async Task<LoadReport> RunNegotiationAsync(LoadOptions options, LoadSetup setup, IReadOnlyList<Guid> sessions, Action<string> log, CancellationToken cancellationToken)
    {
        var ledger = new BidLedger();
        var members = new ConcurrentBag<NegotiationHubClient>();
        var chairs = new List<NegotiationHubClient>();
        try
        {
            var memoryBefore = ServerMemory.ResidentKilobytes(options.ServerPid);
            var bots = new PartyBot[sessions.Count * options.Parties];
            await Parallel.ForAsync(0, bots.Length, Parallelism(cancellationToken), async (k, ct) =>
            {
                var (s, p) = Math.DivRem(k, options.Parties);
                var client = setup.Members[p].CreateHubClient();
                members.Add(client);
                client.OnRoundClosed(m =>
                {
                    ledger.RoundClosedReceived(m);
                    return Task.CompletedTask;
                });
                client.OnAgreementReached(m =>
                {
                    ledger.AgreementReceived(m);
                    return Task.CompletedTask;
                });
                await client.StartAsync(ct).ConfigureAwait(false);
                bots[k] = new PartyBot(client, sessions[s], new TowardNashConcession(options.Lambda), new PartyBotOptions
                {
                    MaxRounds = options.MaxRounds, BidDelay = options.BidInterval, JitterBidDelay = true, Observer = ledger,
                });
            }).ConfigureAwait(false);

            var order = sessions.Select((id, k) => (id, k)).ToDictionary(x => x.id, x => x.k);
            var conductors = new List<RoundConductor>();
            foreach (var chunk in sessions.Chunk(options.SessionsPerCoordinatorConnection))
            {
                var chair = setup.Coordinator.CreateHubClient();
                chairs.Add(chair);
                await chair.StartAsync(cancellationToken).ConfigureAwait(false);
                conductors.Add(new RoundConductor(chair, chunk, new ConductorOptions
                {
                    MaxRounds = options.MaxRounds, RoundDeadlineSeconds = 60, FirstRoundAt = id => StartOffset(options, order[id], sessions.Count),
                }));
            }

            using var traffic = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            traffic.CancelAfter(options.Timeout);
            var running = bots.Select(b => b.RunAsync(traffic.Token)).ToList();
            await Task.WhenAll(bots.Select(b => b.Joined)).ConfigureAwait(false);

            // The coordinators join before the traffic too, as the members do: set-up, not a
            // round's latency, and the memory figure then counts every connection joined.
            await Task.WhenAll(conductors.Select(c => c.JoinAsync(traffic.Token))).ConfigureAwait(false);
            var memoryAfter = ServerMemory.ResidentKilobytes(options.ServerPid);
            var connections = bots.Length + chairs.Count;
            await WaitForJitQuietAsync(options, setup, "negotiation", log, cancellationToken).ConfigureAwait(false);
            log($"negotiation: {connections} connections up and joined; bidding");
            var runtimeBefore = await setup.ServerRuntimeAsync(cancellationToken).ConfigureAwait(false);
            var cpuBefore = ServerCpu.Seconds(options.ServerPid);
            var pausedBefore = GC.GetTotalPauseDuration();

            var conducting = conductors.Select(c => c.RunAsync(traffic.Token)).ToList();
            try
            {
                await Task.WhenAll(conducting).ConfigureAwait(false);
                await Task.WhenAll(running).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (traffic.IsCancellationRequested)
            {
                log("negotiation: the time limit stopped the traffic; reporting what was done");
            }

            var cpuAfter = ServerCpu.Seconds(options.ServerPid);
            var paused = GC.GetTotalPauseDuration() - pausedBefore;
            var runtimeAfter = await setup.ServerRuntimeAsync(cancellationToken).ConfigureAwait(false);
            LogCollections("negotiation", runtimeBefore, runtimeAfter, log);

            log("negotiation: checking every acknowledged bid against the broadcasts and the stored history");
            var stored = new ConcurrentDictionary<Guid, IReadOnlyList<StoredBid>>();
            using var verifying = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await Parallel.ForEachAsync(sessions, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = verifying.Token }, async (id, ct) =>
                stored[id] = await setup.StoredBidsAsync(id, ct).ConfigureAwait(false)).ConfigureAwait(false);

            var acked = ledger.Bids.Where(b => b.Ack is { Duplicate: false }).ToList();
            var lost = acked.Count(b => !Counted(b, ledger, stored[b.SessionId]));
            var duplicated = ledger.Bids.Count(b => b.Ack is { Duplicate: true })
                + stored.Values.Sum(bids => bids.GroupBy(b => (b.Round, b.PartyIndex)).Sum(g => g.Count() - 1));
            return Report("negotiation", options, sessions.Count, connections, ledger.RoundsClosed, ledger, acked.Count, lost, duplicated,
                ledger.SessionsAgreed, memoryBefore, memoryAfter, cpuAfter - cpuBefore, echo: false).WithRuntime(runtimeBefore, runtimeAfter, paused);
        }
        finally
        {
            await DisposeAllAsync([.. members, .. chairs], c => c.DisposeAsync()).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An acknowledged bid counted: the stored history holds it unchanged, and if its round was
    /// closed (a member received the <c>RoundClosed</c>) the broadcast analysis holds it too, not
    /// auto-conceded. A round the time limit left open has no analysis yet; its bids must still be stored.
    /// </summary>
    private static bool Counted(BidEntry bid, BidLedger ledger, IReadOnlyList<StoredBid> stored)
    {
        var kept = stored.FirstOrDefault(s => s.BidId == bid.Bid.BidId);
        if (kept is not { AutoConceded: false } || kept.Round != bid.Bid.Round || kept.PartyIndex != bid.PartyIndex || !kept.Demand.Equals(bid.Bid.Demand))
        {
            return false;
        }

        if (ledger.Analysis(bid.SessionId, bid.Bid.Round) is not { } analysis)
        {
            return true;
        }

        var broadcast = analysis.Parties.FirstOrDefault(p => p.PartyIndex == bid.PartyIndex);
        return broadcast is { AutoConceded: false } && broadcast.Demand.Equals(bid.Bid.Demand);
    }

    private static async Task<LoadReport> RunEchoAsync(LoadOptions options, LoadSetup setup, IReadOnlyList<Guid> groups, Action<string> log, CancellationToken cancellationToken)
    {
        var ledger = new BidLedger();
        var members = new EchoMember[groups.Count * options.Parties];
        try
        {
            var memoryBefore = ServerMemory.ResidentKilobytes(options.ServerPid);
            await Parallel.ForAsync(0, members.Length, Parallelism(cancellationToken), async (k, ct) =>
            {
                var (g, p) = Math.DivRem(k, options.Parties);
                var member = new EchoMember(setup.Members[p], groups[g], p, ledger);
                members[k] = member;
                await member.ConnectAsync(ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
            var memoryAfter = ServerMemory.ResidentKilobytes(options.ServerPid);
            await WaitForJitQuietAsync(options, setup, "echo", log, cancellationToken).ConfigureAwait(false);
            log($"echo: {members.Length} connections up and joined; bidding");
            var runtimeBefore = await setup.ServerRuntimeAsync(cancellationToken).ConfigureAwait(false);
            var cpuBefore = ServerCpu.Seconds(options.ServerPid);
            var pausedBefore = GC.GetTotalPauseDuration();

            using var traffic = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            traffic.CancelAfter(options.Timeout);
            try
            {
                await Task.WhenAll(members.Select((m, k) => m.BidRoundsAsync(options, StartOffset(options, k / options.Parties, groups.Count), traffic.Token))).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (traffic.IsCancellationRequested)
            {
                log("echo: the time limit stopped the traffic; reporting what was done");
            }

            var cpuAfter = ServerCpu.Seconds(options.ServerPid);
            var paused = GC.GetTotalPauseDuration() - pausedBefore;
            var runtimeAfter = await setup.ServerRuntimeAsync(cancellationToken).ConfigureAwait(false);
            LogCollections("echo", runtimeBefore, runtimeAfter, log);

            var acked = ledger.Bids.Where(b => b.Ack is not null).ToList();
            var lost = acked.Count(b => ledger.EchoesOf(b.Bid.BidId) < options.Parties);
            var duplicated = acked.Count(b => ledger.EchoesOf(b.Bid.BidId) > options.Parties);
            var rounds = acked.GroupBy(b => (b.SessionId, b.Bid.Round)).Count(round => round.Count() == options.Parties && round.All(b => ledger.EchoesOf(b.Bid.BidId) >= options.Parties));
            return Report("echo", options, groups.Count, members.Length, rounds, ledger, acked.Count, lost, duplicated, 0, memoryBefore, memoryAfter, cpuAfter - cpuBefore, echo: true).WithRuntime(runtimeBefore, runtimeAfter, paused);
        }
        finally
        {
            await DisposeAllAsync(members.Where(m => m is not null), m => m.DisposeAsync()).ConfigureAwait(false);
        }
    }

    /// <summary>When session (or echo group) <paramref name="k"/> of <paramref name="count"/> starts: k/count of the ramp.</summary>
    public static TimeSpan StartOffset(LoadOptions options, int k, int count)
    {
        ArgumentNullException.ThrowIfNull(options);
        return count <= 0 ? TimeSpan.Zero : options.Ramp * ((double)k / count);
    }

    private static LoadReport Report(string hub, LoadOptions options, int sessions, int connections, int rounds, BidLedger ledger, int acked, int lost, int duplicated, int agreed,
        long? memoryBefore, long? memoryAfter, double? cpuSeconds, bool echo)
    {
        var samples = ledger.Latencies(echo);
        var latencies = samples.Select(x => x.Milliseconds).ToList();
        if (options.LatencyCsv is { } path)
        {
            File.WriteAllLines(path, ["sent_s,round,latency_ms", .. samples.OrderBy(x => x.Sent).Select(x => FormattableString.Invariant($"{x.Sent.TotalSeconds:F3},{x.Round},{x.Milliseconds:F2}"))]);
        }

        var sent = ledger.Bids.ToList();
        var span = sent.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(sent.Min(b => b.SentTicks), sent.Where(b => b.Ack is not null).Select(b => b.SentTicks).DefaultIfEmpty(0).Max());
        return new LoadReport
        {
            Hub = hub,
            Sessions = sessions,
            Parties = options.Parties,
            Connections = connections,
            Rounds = rounds,
            Bids = acked,
            BidsPerSecond = span > TimeSpan.Zero ? acked / span.TotalSeconds : 0,
            P50 = LoadReport.Percentile(latencies, 0.50),
            P95 = LoadReport.Percentile(latencies, 0.95),
            P99 = LoadReport.Percentile(latencies, 0.99),
            LostBids = lost,
            DuplicatedBids = duplicated,
            RefusedBids = sent.Count(b => b.Error is not null),
            Agreed = agreed,
            ServerMemoryGrowthKilobytes = memoryBefore is { } before && memoryAfter is { } after ? after - before : null,
            ServerCpuSeconds = cpuSeconds,
        };
    }

    /// <summary>Says how often the server collected garbage while the bots bid (the pauses are in the table; this tells many short ones from a few long ones).</summary>
    internal static void LogCollections(string hub, ServerRuntime? before, ServerRuntime? after, Action<string> log)
    {
        if (before is not null && after is not null)
        {
            var pause = after.GcPauseMilliseconds - before.GcPauseMilliseconds;
            var collections = after.Gen0Collections - before.Gen0Collections;
            log(FormattableString.Invariant(
                $"{hub}: the server collected {collections} times while the bots bid (generation 1: {after.Gen1Collections - before.Gen1Collections}, 2: {after.Gen2Collections - before.Gen2Collections}), {pause:F0} ms paused in all, {(collections > 0 ? pause / collections : 0):F1} ms each"));
        }
    }

    /// <summary>The report with the server's allocations and GC pauses between two readings, and the driver's own GC pauses meanwhile.</summary>
    private static LoadReport WithRuntime(this LoadReport report, ServerRuntime? before, ServerRuntime? after, TimeSpan driverPaused) => report with
    {
        ServerAllocatedBytes = after?.AllocatedBytes - before?.AllocatedBytes,
        ServerGcPauseMilliseconds = after?.GcPauseMilliseconds - before?.GcPauseMilliseconds,
        ServerJitMilliseconds = after?.JitMilliseconds - before?.JitMilliseconds,
        DriverGcPauseMilliseconds = driverPaused.TotalMilliseconds,
    };

    /// <summary>Waits for the server's JIT to go quiet before the bidding (<see cref="LoadOptions.JitQuiet"/>), and says how it went.</summary>
    private static async Task WaitForJitQuietAsync(LoadOptions options, LoadSetup setup, string hub, Action<string> log, CancellationToken cancellationToken)
    {
        if (options.JitQuiet <= TimeSpan.Zero)
        {
            return;
        }

        var settled = await setup.WaitForJitQuietAsync(options.JitQuiet, options.JitQuietLimit, cancellationToken).ConfigureAwait(false);
        log(settled switch
        {
            null => $"{hub}: the server does not report its JIT; bidding without waiting for it",
            { Quiet: true } s => string.Create(CultureInfo.InvariantCulture, $"{hub}: the server's JIT went quiet after {s.Waited.TotalSeconds:F1} s ({s.Compiled} methods compiled meanwhile)"),
            { } s => string.Create(CultureInfo.InvariantCulture, $"{hub}: the server's JIT was still compiling after {s.Waited.TotalSeconds:F1} s ({s.Compiled} methods); bidding anyway"),
        });
    }

    private static ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken };

    private static Task DisposeAllAsync<T>(IEnumerable<T> items, Func<T, ValueTask> dispose) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism }, (item, _) => dispose(item));

    /// <summary>One party's connection to the echo hub in one group.</summary>
    private sealed class EchoMember : IAsyncDisposable
    {
        private readonly HubConnection _connection;
        private readonly Guid _group;
        private readonly int _party;
        private readonly BidLedger _ledger;
        private readonly ConcurrentDictionary<int, int> _echoesPerRound = new();
        private readonly SemaphoreSlim _arrived = new(0);

        public EchoMember(HubAccount account, Guid group, int party, BidLedger ledger)
        {
            _group = group;
            _party = party;
            _ledger = ledger;
            // The same connection settings as NegotiationHubClient's (the official client, straight to the WebSocket), on the echo route.
            var builder = new HubConnectionBuilder().WithUrl(new Uri(account.Server, EchoHubContract.Route), new WebSocketConnectionOptions { Cookies = account.Cookies }.ApplyTo);
            builder.AddJsonProtocol();
            _connection = builder.Build();
            _connection.On<BidAccepted>(EchoHubContract.BidAccepted, echo =>
            {
                _ledger.EchoReceived(echo);
                _echoesPerRound.AddOrUpdate(echo.Round, 1, (_, n) => n + 1);
                _arrived.Release();
            });
        }

        public async Task ConnectAsync(CancellationToken cancellationToken)
        {
            await _connection.StartAsync(cancellationToken).ConfigureAwait(false);
            await _connection.InvokeAsync(EchoHubContract.Join, _group, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Bids in rounds 1 … MaxRounds, each after the interval, waiting for the whole group's echoes of a round before the next.</summary>
        public async Task BidRoundsAsync(LoadOptions options, TimeSpan start, CancellationToken cancellationToken)
        {
            for (var round = 1; round <= options.MaxRounds; round++)
            {
                var offset = round == 1 ? start : TimeSpan.Zero; // the group's first "round opens" then
                await Task.Delay(offset + (options.BidInterval * (0.5 + Random.Shared.NextDouble())), cancellationToken).ConfigureAwait(false);
                var bid = new BidSubmission { BidId = Guid.NewGuid(), Round = round, Demand = 100.0 / options.Parties };
                _ledger.BidSent(_group, _party, bid);
                try
                {
                    _ledger.BidAcknowledged(await _connection.InvokeAsync<BidAck>(EchoHubContract.SubmitBid, _group, bid, cancellationToken).ConfigureAwait(false));
                }
                catch (Microsoft.AspNetCore.SignalR.HubException exception)
                {
                    _ledger.BidFailed(_group, _party, bid, exception);
                }

                while (_echoesPerRound.GetValueOrDefault(round) < options.Parties)
                {
                    await _arrived.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _arrived.Dispose();
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using NegotiationHub.Client;
using NegotiationHub.Contracts;

namespace NegotiationHub.Cluster.Tests.Harness;

/// <summary>Holds a driver mid-round: after the first <see cref="AfterParties"/> parties' bids in <see cref="Round"/> are acknowledged.</summary>
internal sealed class Pause(int round, int afterParties)
{
    public int Round { get; } = round;

    public int AfterParties { get; } = afterParties;

    /// <summary>Completed when the driver has stopped at the pause.</summary>
    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Complete to let the driver go on.</summary>
    public TaskCompletionSource Resume { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Drives one 3+1 session to agreement the way real clients would, through whatever the server
/// does meanwhile (killed, restarted, failed over): a coordinator and four member connections,
/// on whichever nodes the entry point picks, reconnecting with backoff. Every step is
/// decided from a fresh snapshot, so a lost acknowledgement is harmless: a bid is resent with the
/// same bidId (the server applies it once), a round already opened is seen open. Rounds before
/// the last demand 30 each (ΣD = 120 &gt; K, incompatible); the last demands 25 each, which fits
/// K = 100 exactly, so the session agrees in <c>rounds</c> rounds.
/// </summary>
internal sealed class SessionDriver : IAsyncDisposable
{
    private const int Parties = 4;
    private readonly int _rounds;
    private readonly Pause? _pause;
    private readonly NegotiationHubClient _coordinator;
    private readonly NegotiationHubClient[] _members;
    private readonly ConcurrentDictionary<(int Round, int Party), Guid> _bidIds = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _closed = new();
    private int _reconnections;
    private int _memberReconnections;
    private int _missedBroadcasts;
    private bool _paused;

    private SessionDriver(Guid sessionId, Uri entry, AllianceAccounts accounts, int rounds, Pause? pause)
    {
        SessionId = sessionId;
        _rounds = rounds;
        _pause = pause;
        _coordinator = Hubs.Client(entry, accounts.Coordinator);
        _members = [.. accounts.Members.Select(m => Hubs.Client(entry, m))];
        _coordinator.OnRoundClosed(m =>
        {
            _closed.GetOrAdd(m.Analysis.Round, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return Task.CompletedTask;
        });
        foreach (var client in _members.Append(_coordinator))
        {
            var member = client != _coordinator;
            client.Reconnected += _ =>
            {
                Interlocked.Increment(ref _reconnections);
                if (member)
                {
                    Interlocked.Increment(ref _memberReconnections);
                }

                return Task.CompletedTask;
            };
        }

        foreach (var member in _members)
        {
            // After a reconnect the client rejoins and hands the fresh snapshot here: the resync.
            member.OnSessionSnapshot(s =>
            {
                Resyncs.Enqueue(s);
                return Task.CompletedTask;
            });
        }
    }

    public Guid SessionId { get; }

    /// <summary>Every acknowledgement the server gave this session's members (including duplicates of resent bids).</summary>
    public ConcurrentQueue<BidAck> Acks { get; } = new();

    /// <summary>Snapshots the members received when they rejoined after a reconnect.</summary>
    public ConcurrentQueue<SessionSnapshot> Resyncs { get; } = new();

    /// <summary>How many times any of the five connections came back after dropping.</summary>
    public int Reconnections => Volatile.Read(ref _reconnections);

    /// <summary>How many times one of the four members' connections came back (each then rejoins and resyncs; the coordinator's does not report its snapshot here).</summary>
    public int MemberReconnections => Volatile.Read(ref _memberReconnections);

    /// <summary>
    /// How many rounds closed without the coordinator's connection receiving <c>RoundClosed</c>
    /// within 10 s. Zero while the session's five connections sit on the node that broadcasts.
    /// </summary>
    public int MissedBroadcasts => Volatile.Read(ref _missedBroadcasts);

    /// <summary>Connects the five clients (through <paramref name="entry"/>) and joins the session.</summary>
    public static async Task<SessionDriver> ConnectAsync(Guid sessionId, Uri entry, AllianceAccounts accounts, int rounds, Pause? pause = null)
    {
        var driver = new SessionDriver(sessionId, entry, accounts, rounds, pause);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var client in driver._members.Append(driver._coordinator))
        {
            await client.StartAsync(limit.Token);
            await client.JoinSessionAsync(sessionId, limit.Token);
        }

        return driver;
    }

    /// <summary>Plays rounds until the session has agreed; returns the final snapshot.</summary>
    public async Task<SessionSnapshot> RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var snapshot = await CallAsync(_coordinator, c => c.JoinSessionAsync(SessionId, cancellationToken), cancellationToken);
            if (snapshot.State == SessionState.Agreed)
            {
                return snapshot;
            }

            var round = snapshot.CurrentRound;
            if (round is null || round.State != RoundState.Open)
            {
                Assert.True(snapshot.Rounds.Count < _rounds, $"session {SessionId}: {snapshot.Rounds.Count} rounds closed and no agreement");
                try
                {
                    await CallAsync(_coordinator, c => c.OpenRoundAsync(SessionId, 3600, cancellationToken), cancellationToken);
                }
                catch (HubException)
                {
                    // Opened already: the acknowledgement of an earlier attempt was lost.
                }

                continue;
            }

            var missing = Enumerable.Range(0, Parties).Where(p => round.Bids.All(b => b.PartyIndex != p)).ToList();
            if (_pause is { } pause && !_paused && round.Round == pause.Round)
            {
                await Task.WhenAll(missing.Where(p => p < pause.AfterParties).Select(p => BidAsync(p, round.Round, cancellationToken)));
                _paused = true;
                pause.Reached.TrySetResult();
                await pause.Resume.Task.WaitAsync(cancellationToken);
                continue;
            }

            await Task.WhenAll(missing.Select(p => BidAsync(p, round.Round, cancellationToken)));
            var closed = _closed.GetOrAdd(round.Round, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
            try
            {
                await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }
            catch (TimeoutException)
            {
                // The broadcast was lost with a connection (or went to another node's group); the next snapshot tells.
                Interlocked.Increment(ref _missedBroadcasts);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _members.Append(_coordinator))
        {
            await client.DisposeAsync();
        }
    }

    /// <summary>The demand of every party in a round: incompatible until the last round, which fits K exactly.</summary>
    public double DemandIn(int round) => round >= _rounds ? 25 : 30;

    private async Task BidAsync(int party, int round, CancellationToken cancellationToken)
    {
        var bid = new BidSubmission { BidId = _bidIds.GetOrAdd((round, party), _ => Guid.NewGuid()), Round = round, Demand = DemandIn(round) };
        var ack = await CallAsync(_members[party], c => c.SubmitBidAsync(SessionId, bid, cancellationToken), cancellationToken);
        Acks.Enqueue(ack);
    }

    /// <summary>
    /// Calls the hub once connected; a call lost with its connection is made again after the
    /// client reconnects. A refusal (<see cref="HubException"/>) is the server's answer and is thrown.
    /// </summary>
    private static async Task<T> CallAsync<T>(NegotiationHubClient client, Func<NegotiationHubClient, Task<T>> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            while (client.State != HubConnectionState.Connected)
            {
                if (client.State == HubConnectionState.Disconnected)
                {
                    throw new InvalidOperationException("the client gave up reconnecting");
                }

                await Task.Delay(50, cancellationToken);
            }

            try
            {
                return await call(client);
            }
            catch (Exception exception) when ((exception is not HubException || HubErrors.IsRetryable(exception.Message)) && !cancellationToken.IsCancellationRequested)
            {
                // The connection dropped under the call (the client is reconnecting), or the session's
                // node died and the cluster is moving it: nothing was written, the same call is made again.
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}

using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using NegotiationHub.Bots.Strategies;
using NegotiationHub.Client;
using NegotiationHub.Contracts;

namespace NegotiationHub.Bots.Bidding;

/// <summary>How a <see cref="PartyBot"/> behaves besides its strategy.</summary>
public sealed record PartyBotOptions
{
    /// <summary>Stop after the round with this number closes without agreement (a bound on every run).</summary>
    public int MaxRounds { get; init; } = 50;

    /// <summary>How long to think before bidding once a round opens; 0 bids at once.</summary>
    public TimeSpan BidDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Spread each <see cref="BidDelay"/> uniformly over [½, 1½]× so that parties do not bid in lockstep.</summary>
    public bool JitterBidDelay { get; init; }

    /// <summary>Receives one line per round (and the outcome); nothing is printed when null.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// With no message for this long, join again to read the session's state: the server does not
    /// broadcast that a coordinator closed a session, so this is how a waiting bot learns it.
    /// </summary>
    public TimeSpan IdleResync { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sees every bid sent and acknowledged (the load driver's measurements); optional.</summary>
    public IBidObserver? Observer { get; init; }

    /// <summary>
    /// How often a bid refused because the database was busy (nothing written) is sent again, the
    /// same bid with the same bidId, as the refusal asks; 0 leaves it to the round's deadline.
    /// </summary>
    public int BusyRetries { get; init; } = 5;

    /// <summary>The wait before the first resend of a busy-refused bid; each later one waits twice as long.</summary>
    public TimeSpan BusyRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>Sees a <see cref="PartyBot"/>'s bids as they go out and come back.</summary>
public interface IBidObserver
{
    /// <summary>A bid is about to be sent.</summary>
    void BidSent(Guid sessionId, int partyIndex, BidSubmission bid);

    /// <summary>The server acknowledged a bid (it is committed).</summary>
    void BidAcknowledged(BidAck ack);

    /// <summary>The server refused a bid, or the call failed.</summary>
    void BidFailed(Guid sessionId, int partyIndex, BidSubmission bid, Exception error);
}

/// <summary>Why a <see cref="PartyBot"/> stopped.</summary>
public enum BotEnding
{
    /// <summary>The session reached an agreement.</summary>
    Agreed,

    /// <summary>The session was closed (or is no longer open) without agreement.</summary>
    SessionEnded,

    /// <summary>The rounds limit passed without agreement.</summary>
    RoundsLimit,
}

/// <summary>How a <see cref="PartyBot"/>'s run ended.</summary>
public sealed record BotOutcome
{
    /// <summary>Why it stopped.</summary>
    public required BotEnding Ending { get; init; }

    /// <summary>The party it bid for.</summary>
    public required int PartyIndex { get; init; }

    /// <summary>The last round it saw closed (0 if none).</summary>
    public required int Rounds { get; init; }

    /// <summary>The agreement, when <see cref="Ending"/> is <see cref="BotEnding.Agreed"/>.</summary>
    public AgreementView? Agreement { get; init; }
}

/// <summary>
/// One party's bot in one session: joins the session over a started <see cref="NegotiationHubClient"/>,
/// bids once in every round the coordinator opens, with the demand its <see cref="IConcessionStrategy"/>
/// gives, and stops at agreement, when the session ends, or after <see cref="PartyBotOptions.MaxRounds"/>.
/// Thin on purpose: what to demand is the strategy's, when to bid is the server's rounds.
/// </summary>
/// <remarks>
/// Hub messages are queued by the client's handlers and acted on by <see cref="RunAsync"/>, so a
/// handler never waits on the hub. A sequence gap (missed messages) is healed by joining again and
/// continuing from the snapshot.
/// </remarks>
public sealed class PartyBot(NegotiationHubClient client, Guid sessionId, IConcessionStrategy strategy, PartyBotOptions? options = null)
{
    private readonly PartyBotOptions _options = options ?? new PartyBotOptions();
    private readonly Channel<object> _inbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private SessionSnapshot _snapshot = null!;
    private RoundAnalysisView? _lastClosed;
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _lastBidRound;

    /// <summary>The session bid in.</summary>
    public Guid SessionId { get; } = sessionId;

    /// <summary>The party bid for; known once <see cref="RunAsync"/> has joined.</summary>
    public int PartyIndex { get; private set; } = -1;

    /// <summary>Completes once <see cref="RunAsync"/> has joined the session (fails if joining failed): from then on the bot sees every round opened.</summary>
    public Task Joined => _joined.Task;

    /// <summary>Joins, bids round by round, and returns how the run ended.</summary>
    /// <exception cref="InvalidOperationException">The user is not a member of a party of the session.</exception>
    /// <exception cref="HubException">The server refused to join.</exception>
    public async Task<BotOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(strategy);
        using var opened = client.OnRoundOpened(Enqueue);
        using var closed = client.OnRoundClosed(Enqueue);
        using var agreed = client.OnAgreementReached(Enqueue);
        using var pushed = client.OnSessionSnapshot(Enqueue);
        client.GapDetected += OnGapAsync;
        try
        {
            SessionSnapshot snapshot;
            try
            {
                snapshot = await client.JoinSessionAsync(SessionId, cancellationToken).ConfigureAwait(false);
                _joined.TrySetResult();
            }
            catch (Exception exception)
            {
                _joined.TrySetException(exception);
                throw;
            }

            if (await ApplyAsync(snapshot, cancellationToken).ConfigureAwait(false) is { } early)
            {
                return early;
            }

            while (true)
            {
                var message = await NextAsync(cancellationToken).ConfigureAwait(false);
                var outcome = message switch
                {
                    RoundOpened o when o.SessionId == SessionId => await OnOpenedAsync(o.Round, cancellationToken).ConfigureAwait(false),
                    RoundClosed c when c.SessionId == SessionId => OnClosed(c.Analysis),
                    AgreementReached a when a.SessionId == SessionId => Finish(BotEnding.Agreed, a.Agreement),
                    SessionSnapshot s when s.SessionId == SessionId => await ApplyAsync(s, cancellationToken).ConfigureAwait(false),
                    // Missed messages, or silence: resync from a fresh snapshot.
                    SequenceGap g when g.SessionId == SessionId => await RejoinAsync(cancellationToken).ConfigureAwait(false),
                    Idle => await RejoinAsync(cancellationToken).ConfigureAwait(false),
                    _ => null,
                };
                if (outcome is not null)
                {
                    return outcome;
                }
            }
        }
        finally
        {
            client.GapDetected -= OnGapAsync;
        }
    }

    private async Task<BotOutcome?> RejoinAsync(CancellationToken cancellationToken) =>
        await ApplyAsync(await client.JoinSessionAsync(SessionId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The next hub message, or <see cref="Idle"/> when none came for <see cref="PartyBotOptions.IdleResync"/>.</summary>
    private async Task<object> NextAsync(CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(_options.IdleResync);
        try
        {
            return await _inbox.Reader.ReadAsync(idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Idle.Instance;
        }
    }

    private Task Enqueue<T>(T message)
        where T : notnull
    {
        _inbox.Writer.TryWrite(message);
        return Task.CompletedTask;
    }

    private Task OnGapAsync(SequenceGap gap) => Enqueue(gap);

    /// <summary>Takes the session's state from a snapshot; bids if a round is open that this party has not bid in.</summary>
    private async Task<BotOutcome?> ApplyAsync(SessionSnapshot snapshot, CancellationToken cancellationToken)
    {
        _snapshot = snapshot;
        PartyIndex = snapshot.OwnPartyIndex ?? throw new InvalidOperationException($"The signed-in user is not a member of a party of session {SessionId}.");
        _lastClosed = snapshot.Rounds.Count > 0 ? snapshot.Rounds[^1] : _lastClosed;
        if (snapshot.Agreement is { } agreement)
        {
            return Finish(BotEnding.Agreed, agreement);
        }

        if (snapshot.State is not SessionState.Open)
        {
            return Finish(BotEnding.SessionEnded, null);
        }

        if (_lastClosed is { } last && last.Round >= _options.MaxRounds)
        {
            return Finish(BotEnding.RoundsLimit, null);
        }

        if (snapshot.CurrentRound is { State: RoundState.Open } round)
        {
            if (round.Bids.All(b => b.PartyIndex != PartyIndex))
            {
                return await OnOpenedAsync(round.Round, cancellationToken).ConfigureAwait(false);
            }

            _lastBidRound = Math.Max(_lastBidRound, round.Round);
        }

        return null;
    }

    private async Task<BotOutcome?> OnOpenedAsync(int round, CancellationToken cancellationToken)
    {
        if (round <= _lastBidRound)
        {
            return null;
        }

        _lastBidRound = round;
        if (_options.BidDelay > TimeSpan.Zero)
        {
            var delay = _options.JitterBidDelay ? _options.BidDelay * (0.5 + Random.Shared.NextDouble()) : _options.BidDelay;
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }

        var own = _lastClosed?.Parties.FirstOrDefault(p => p.PartyIndex == PartyIndex);
        var party = _snapshot.Parties[PartyIndex];
        var position = new BargainingPosition
        {
            Round = round,
            Pool = _snapshot.Pool,
            DisagreementPoint = party.DisagreementPoint,
            LastDemand = own?.Demand,
            Target = own?.Target,
        };
        var bid = new BidSubmission { BidId = Guid.NewGuid(), Round = round, Demand = strategy.NextDemand(position) };
        _options.Observer?.BidSent(SessionId, PartyIndex, bid);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var ack = await client.SubmitBidAsync(SessionId, bid, cancellationToken).ConfigureAwait(false);
                _options.Observer?.BidAcknowledged(ack);
                return null;
            }
            catch (HubException exception) when (HubErrors.IsRetryable(exception.Message) && attempt < _options.BusyRetries)
            {
                // Nothing was written: the same bid again (same bidId, so it counts once at most).
                var wait = _options.BusyRetryDelay * Math.Pow(2, attempt);
                _options.Log?.Invoke($"round {round}: bid {bid.Demand:F2} met a busy database; sending it again in {wait.TotalMilliseconds:0} ms");
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (HubException exception)
            {
                // E.g. the round closed by its deadline first: the server auto-conceded for us; go on.
                _options.Observer?.BidFailed(SessionId, PartyIndex, bid, exception);
                _options.Log?.Invoke($"round {round}: bid {bid.Demand:F2} refused — {exception.Message}");
                return null;
            }
        }
    }

    private BotOutcome? OnClosed(RoundAnalysisView analysis)
    {
        _lastClosed = analysis;
        var own = analysis.Parties.First(p => p.PartyIndex == PartyIndex);
        var mustConcede = analysis.MustConcede.Count == 0 ? "-" : string.Join(",", analysis.MustConcede);
        _options.Log?.Invoke($"round {analysis.Round}: {strategy.Name} demand {own.Demand:F2}{(own.AutoConceded ? " (auto-conceded)" : "")}, target {own.Target:F2}, " +
            $"gap {analysis.Gap:F2}, must concede [{mustConcede}], Nash efficiency {analysis.NashEfficiency:F4}{(analysis.Compatible ? " — compatible" : "")}");
        return !analysis.Compatible && analysis.Round >= _options.MaxRounds ? Finish(BotEnding.RoundsLimit, null) : null;
    }

    private BotOutcome Finish(BotEnding ending, AgreementView? agreement)
    {
        var outcome = new BotOutcome { Ending = ending, PartyIndex = PartyIndex, Rounds = _lastClosed?.Round ?? 0, Agreement = agreement };
        _options.Log?.Invoke(ending switch
        {
            BotEnding.Agreed => $"agreement in round {agreement!.Round}: {agreement.Allocation[PartyIndex]:F2} of {_snapshot.Pool:F2} ({agreement.Shares[PartyIndex]:P2}) for party {PartyIndex}",
            BotEnding.SessionEnded => $"session {_snapshot.State.ToString().ToLowerInvariant()} without agreement",
            _ => $"no agreement after {_options.MaxRounds} rounds; stopping (the coordinator may close the session)",
        });
        return outcome;
    }

    /// <summary>Nothing arrived for a while: time to look at the session again.</summary>
    private sealed class Idle
    {
        public static readonly Idle Instance = new();
    }
}

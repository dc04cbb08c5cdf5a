using System.Diagnostics;
using System.Threading.Channels;
using NegotiationHub.Client;
using NegotiationHub.Contracts;

namespace NegotiationHub.Bots.Bidding;

/// <summary>How a <see cref="RoundConductor"/> runs its sessions' rounds.</summary>
public sealed record ConductorOptions
{
    /// <summary>Open no round after this one (a bound on every run).</summary>
    public int MaxRounds { get; init; } = 50;

    /// <summary>Each round's deadline in seconds (the server accepts 10 … 86,400); late parties are auto-conceded then (MODEL §4).</summary>
    public int RoundDeadlineSeconds { get; init; } = 30;

    /// <summary>
    /// When to open each session's first round, counted from the moment
    /// <see cref="RoundConductor.RunAsync"/> starts opening (after its sessions are joined); null
    /// opens every one at once. A load run spreads them, as independent
    /// alliances do not all start in one instant.
    /// </summary>
    public Func<Guid, TimeSpan>? FirstRoundAt { get; init; }

    /// <summary>Receives a line per session outcome; nothing is printed when null.</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>How one session ended for its <see cref="RoundConductor"/>.</summary>
public sealed record SessionOutcome
{
    /// <summary>The session.</summary>
    public required Guid SessionId { get; init; }

    /// <summary>Rounds closed.</summary>
    public required int Rounds { get; init; }

    /// <summary>The agreement, or null when the session ended or hit the rounds limit without one.</summary>
    public AgreementView? Agreement { get; init; }
}

/// <summary>
/// The coordinator's side of a bot run: over one started <see cref="NegotiationHubClient"/> signed
/// in as the sessions' coordinator, opens each session's first round (unless one is open) and the
/// next one whenever a round closes without agreement, until every session has agreed, ended or
/// reached <see cref="ConductorOptions.MaxRounds"/>. Join the parties' bots before running it, so
/// they see the first <c>RoundOpened</c>.
/// </summary>
public sealed class RoundConductor(NegotiationHubClient client, IReadOnlyCollection<Guid> sessionIds, ConductorOptions? options = null)
{
    private readonly ConductorOptions _options = options ?? new ConductorOptions();
    private readonly Channel<object> _inbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Dictionary<Guid, SessionOutcome> _outcomes = [];
    private readonly Dictionary<Guid, int> _rounds = [];
    private readonly List<Guid> _first = [];
    private IDisposable[]? _subscriptions;

    /// <summary>
    /// Joins the conductor's sessions (once; <see cref="RunAsync"/> does it when it was not done),
    /// so a load run can have every connection joined before its first round opens. From here on
    /// the rounds' closes are kept for <see cref="RunAsync"/>.
    /// </summary>
    /// <exception cref="Microsoft.AspNetCore.SignalR.HubException">The server refused to join (e.g. not the coordinator).</exception>
    public async Task JoinAsync(CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(sessionIds);
        if (_subscriptions is not null)
        {
            return;
        }

        _subscriptions = [client.OnRoundClosed(Enqueue), client.OnAgreementReached(Enqueue)];
        foreach (var id in sessionIds)
        {
            var snapshot = await client.JoinSessionAsync(id, cancellationToken).ConfigureAwait(false);
            _rounds[id] = snapshot.Rounds.Count;
            if (snapshot.Agreement is not null || snapshot.State is not SessionState.Open || snapshot.Rounds.Count >= _options.MaxRounds)
            {
                _outcomes[id] = new SessionOutcome { SessionId = id, Rounds = snapshot.Rounds.Count, Agreement = snapshot.Agreement };
            }
            else if (snapshot.CurrentRound is not { State: RoundState.Open })
            {
                _first.Add(id);
            }
        }
    }

    /// <summary>Runs the sessions' rounds (joining them first unless <see cref="JoinAsync"/> did); returns each session's outcome.</summary>
    /// <exception cref="Microsoft.AspNetCore.SignalR.HubException">The server refused to join or to open a round (e.g. not the coordinator).</exception>
    public async Task<IReadOnlyList<SessionOutcome>> RunAsync(CancellationToken cancellationToken = default)
    {
        await JoinAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ConductAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var subscription in _subscriptions!)
            {
                subscription.Dispose();
            }
        }
    }

    private async Task<IReadOnlyList<SessionOutcome>> ConductAsync(CancellationToken cancellationToken)
    {
        // Rounds that close meanwhile wait in the inbox until every first round is open.
        var start = Stopwatch.GetTimestamp();
        foreach (var (id, at) in _first.Select(id => (id, _options.FirstRoundAt?.Invoke(id) ?? TimeSpan.Zero)).OrderBy(x => x.Item2))
        {
            var wait = at - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            await client.OpenRoundAsync(id, _options.RoundDeadlineSeconds, cancellationToken).ConfigureAwait(false);
        }

        while (_outcomes.Count < _rounds.Count)
        {
            switch (await _inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                case RoundClosed c when _rounds.ContainsKey(c.SessionId) && !_outcomes.ContainsKey(c.SessionId):
                    _rounds[c.SessionId] = c.Analysis.Round;
                    if (c.Analysis.Compatible)
                    {
                        break; // AgreementReached follows
                    }

                    if (c.Analysis.Round >= _options.MaxRounds)
                    {
                        _outcomes[c.SessionId] = new SessionOutcome { SessionId = c.SessionId, Rounds = c.Analysis.Round };
                        _options.Log?.Invoke($"session {c.SessionId}: no agreement after {c.Analysis.Round} rounds");
                        break;
                    }

                    await client.OpenRoundAsync(c.SessionId, _options.RoundDeadlineSeconds, cancellationToken).ConfigureAwait(false);
                    break;
                case AgreementReached a when _rounds.ContainsKey(a.SessionId) && !_outcomes.ContainsKey(a.SessionId):
                    _outcomes[a.SessionId] = new SessionOutcome { SessionId = a.SessionId, Rounds = a.Agreement.Round, Agreement = a.Agreement };
                    _options.Log?.Invoke($"session {a.SessionId}: agreement in round {a.Agreement.Round}");
                    break;
            }
        }

        return [.. sessionIds.Select(id => _outcomes[id])];
    }

    private Task Enqueue<T>(T message)
        where T : notnull
    {
        _inbox.Writer.TryWrite(message);
        return Task.CompletedTask;
    }
}

using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;

namespace NegotiationHub.Server.Live;

/// <summary>
/// The grain of one live session (ADR 0012). Orleans runs its calls one at a time. It loads the
/// session's <see cref="LiveState"/> once when it activates, decides every bid, round opening and
/// close with <see cref="SessionRules"/>, commits each decision as one write
/// (<see cref="LiveWriter"/>), and only then acknowledges and broadcasts, in sequence order. A write
/// the database refuses as stale, and a refusal, are decided again on freshly loaded state: the
/// state is only ever a way not to read. It also keeps who is in the room (presence is not
/// history) and one grain timer for the open round's deadline.
/// </summary>
// In a cluster (ADR 0019) a session's grain starts on the node of its first call (the REST call
// that set it up, or a member's hub call): no extra hop for the call that woke it, and sessions
// spread over the nodes as their traffic does.
[Orleans.Placement.PreferLocalPlacement]
public sealed class LiveSessionGrain(
    IDbContextFactory<NegotiationDbContext> dbFactory,
    LiveWriter writer,
    LiveSessionMetrics metrics,
    ISessionRooms rooms,
    TimeProvider time,
    LiveSessionOptions options,
    ILogger<LiveSessionGrain> log) : Grain, ILiveSession, IRemindable
{
    /// <summary>The reminder that wakes the session's grain for its open round's deadline wherever the cluster has it (ADR 0019).</summary>
    public const string DeadlineReminder = "deadline";

    /// <summary>How soon a close that failed or could not be decided (a busy database, a problem that could not be read) is tried again.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<string, MemberPresence> _online = new(StringComparer.Ordinal);
    private readonly Dictionary<int, PeriodProblem> _problems = [];
    private LiveState? _state;
    private long _lastSequence;
    private IGrainTimer? _timer;
    private INegotiationClient? _room;
    private (int Round, DateTime Due)? _armed;
    private (bool Synced, int? Round) _reminder;
    private Task _reminderSync = Task.CompletedTask;

    private Guid SessionId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReloadAsync(cancellationToken);
            ArmFromState();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // No such session (every call refuses it), or the database could not be read: the next call loads it.
            _state = null;
            if (exception is not SessionException)
            {
                log.LogWarning(exception, "Session {SessionId}: loading the live state at activation failed; the next call loads it", SessionId);
            }
        }

        await base.OnActivateAsync(cancellationToken);
    }

    public Task Wake() => Task.CompletedTask;

    /// <summary>Drops the state after a change made outside the grain (set-up, a contract revision); the next call loads it again.</summary>
    public Task Changed(long sequence)
    {
        _state = null;
        _lastSequence = Math.Max(_lastSequence, sequence);
        return Task.CompletedTask;
    }

    public async Task<LiveReply<SessionSnapshot>> Join(LiveCaller caller, string connectionId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        try
        {
            var who = caller.ToCaller();
            SessionSnapshot snapshot;
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                var session = await SessionLoads.LoadAsync(db, SessionId, CancellationToken.None);
                if (!SessionAccess.CanRead(who, session))
                {
                    throw SessionException.NotFound(SessionId);
                }

                if (_state is null || _state.Version < session.Version)
                {
                    // Loaded for the snapshot anyway: whoever joins is about to bid or open a round.
                    Remember(await LiveState.FromAsync(db, session, CancellationToken.None));
                    metrics.Loaded();
                    ArmFromState();
                }

                if (session.State == SessionState.Open && !_problems.ContainsKey(session.CurrentPeriod))
                {
                    _problems[session.CurrentPeriod] = PeriodProblem.Of(session, session.CurrentPeriod);
                }

                snapshot = await SessionMessages.SnapshotAsync(db, session, who, Online(), time.GetUtcNow(), CancellationToken.None);
            }

            await rooms.JoinAsync(connectionId, SessionId);
            _online[connectionId] = new MemberPresence { UserName = caller.UserName, PartyIndex = snapshot.OwnPartyIndex };
            var online = Online();
            await Room.PresenceChanged(new PresenceChanged { SessionId = SessionId, Sequence = snapshot.Sequence, Online = online });
            return LiveReply.Ok(snapshot with { Online = online });
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return LiveReply.Refused<SessionSnapshot>(LiveRefusals.Describe(exception, nameof(Join), log));
        }
    }

    public async Task Leave(string connectionId)
    {
        await rooms.LeaveAsync(connectionId, SessionId);
        if (_online.Remove(connectionId))
        {
            await Room.PresenceChanged(new PresenceChanged { SessionId = SessionId, Sequence = _lastSequence, Online = Online() });
        }
    }

    public Task<LiveReply<BidAck>> SubmitBid(LiveCaller caller, LiveBid bid)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(bid);
        var who = caller.ToCaller();
        var submission = bid.ToSubmission();
        Data.Entities.Bid? existing = null;
        return RunAsync(
            nameof(SubmitBid),
            async s =>
            {
                // The round's last bid closes it: have the period's problem at hand (null if it cannot be read).
                var problem = s.OpenRound is { } round && round.Bids.Length + 1 >= s.PartyCount ? await TryProblemAsync(round.Period) : null;
                return SessionRules.Bid(s, who, submission, existing, problem, time.GetDatabaseUtcNow());
            },
            async db => existing = await db.Bids.AsNoTracking().FirstOrDefaultAsync(b => b.Id == submission.BidId));
    }

    public Task<LiveReply<RoundOpened>> OpenRound(LiveCaller caller, int deadlineSeconds)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var who = caller.ToCaller();
        return RunAsync(nameof(OpenRound), s => Task.FromResult(SessionRules.Open(s, who, deadlineSeconds, time.GetDatabaseUtcNow())));
    }

    public Task<LiveReply<RoundClosed>> CloseRound(LiveCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var who = caller.ToCaller();
        return RunAsync(nameof(CloseRound), async s =>
        {
            // A refusal is decided before the problem is needed.
            var problem = s.CanRead(who) && s.Coordinates(who) && s.OpenRound is { } round ? await ProblemAsync(round.Period) : null;
            return SessionRules.CloseByCoordinator(s, who, problem, time.GetDatabaseUtcNow());
        });
    }

    /// <summary>
    /// Decides a call on the state and commits its write; a refusal or a stale write is decided
    /// again once on freshly loaded state (<paramref name="onReload"/> reads what else the decision
    /// needs then). Returns the reply, or the refusal in the caller's words.
    /// </summary>
    private async Task<LiveReply<T>> RunAsync<T>(string call, Func<LiveState, Task<LiveOutcome<T>>> decide, Func<NegotiationDbContext, Task>? onReload = null)
    {
        using var activity = LiveTelemetry.Source.HasListeners() ? LiveTelemetry.Start($"live {call}", SessionId) : null; // no name built for nobody
        try
        {
            return LiveReply.Ok(await DecideAndCommitAsync(decide, onReload));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return LiveReply.Refused<T>(LiveRefusals.Describe(exception, call, log));
        }
    }

    private async Task<T> DecideAndCommitAsync<T>(Func<LiveState, Task<LiveOutcome<T>>> decide, Func<NegotiationDbContext, Task>? onReload)
    {
        var fresh = false;
        if (_state is null)
        {
            await ReloadAsync(CancellationToken.None, onReload);
            fresh = true;
        }

        for (var attempt = 0; ; attempt++)
        {
            LiveOutcome<T> outcome;
            try
            {
                outcome = await decide(_state!);
            }
            catch (Exception exception) when (!fresh && exception is Bargaining.Validation.ModelValidationException or SessionException)
            {
                // Every refusal is decided on fresh data: the state may not know another node's or a set-up call's change.
                await ReloadAsync(CancellationToken.None, onReload);
                fresh = true;
                continue;
            }

            if (outcome.Write is not { } write)
            {
                return outcome.Reply;
            }

            AuditHead? head;
            using (LiveTelemetry.Start("live commit", SessionId))
            {
                head = await writer.CommitAsync(_state!, write, CancellationToken.None);
            }

            if (head is null)
            {
                metrics.Refused();
                if (attempt >= 3)
                {
                    throw new DbUpdateConcurrencyException("The session kept changing while this call was decided.");
                }

                await ReloadAsync(CancellationToken.None, onReload);
                fresh = true;
                continue;
            }

            // Committed: from here the call's effect survives a crash.
            Remember(write.Next with { Head = head.Value });
            metrics.Committed(write.Messages);
            using (LiveTelemetry.Start("live broadcast", SessionId))
            {
                await BroadcastAsync(write.Messages);
            }

            if (write.CloseUndecided is { } undecided)
            {
                log.LogWarning(undecided, "Session {SessionId}: every party has bid but the close could not be decided; retrying", SessionId);
                Arm(_state!.OpenRound!.Number, time.GetDatabaseUtcNow() + RetryInterval);
            }
            else
            {
                ArmFromState();
            }

            return outcome.Reply;
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken, Func<NegotiationDbContext, Task>? alsoRead = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        Remember(await LiveState.LoadAsync(db, SessionId, cancellationToken));
        metrics.Loaded();
        if (alsoRead is not null)
        {
            await alsoRead(db);
        }
    }

    private void Remember(LiveState state)
    {
        _state = state;
        _lastSequence = Math.Max(_lastSequence, state.Sequence);
    }

    /// <summary>The problem of a period (built once per activation; parties, factors, λ and a period's readings never change once a session is open).</summary>
    private async Task<PeriodProblem> ProblemAsync(int period)
    {
        if (_problems.TryGetValue(period, out var problem))
        {
            return problem;
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        var session = await db.Sessions.AsNoTracking()
            .Include(x => x.Parties.OrderBy(p => p.Index))
            .Include(x => x.Factors.OrderBy(f => f.Index))
            .Include(x => x.Strengths.Where(r => r.Period == period))
            .AsSplitQuery()
            .FirstOrDefaultAsync(x => x.Id == SessionId)
            ?? throw SessionException.NotFound(SessionId);
        return _problems[period] = PeriodProblem.Of(session, period);
    }

    private async Task<PeriodProblem?> TryProblemAsync(int period)
    {
        try
        {
            return await ProblemAsync(period);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            log.LogWarning(exception, "Session {SessionId}: the problem of period {Period} could not be read", SessionId, period);
            return null;
        }
    }

    /// <summary>The session's room, made once per activation (a SignalR group proxy holds only the group's name).</summary>
    private INegotiationClient Room => _room ??= rooms.Room(SessionId);

    private async Task BroadcastAsync(IReadOnlyList<ISessionMessage> messages)
    {
        var group = Room;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            switch (message)
            {
                case BidAccepted accepted:
                    await group.BidAccepted(accepted);
                    break;
                case RoundOpened opened:
                    await group.RoundOpened(opened);
                    break;
                case RoundClosed closed:
                    log.LogInformation("Session {SessionId} round {Round} closed; compatible={Compatible}, efficiency={Efficiency:F4}",
                        SessionId, closed.Analysis.Round, closed.Analysis.Compatible, closed.Analysis.NashEfficiency);
                    await group.RoundClosed(closed);
                    break;
                case AgreementReached agreed:
                    await group.AgreementReached(agreed);
                    break;
                default:
                    throw new InvalidOperationException($"No broadcast for {message.GetType().Name}.");
            }
        }
    }

    private List<MemberPresence> Online() =>
        [.. _online.Values.DistinctBy(m => m.UserName).OrderBy(m => m.PartyIndex ?? int.MaxValue).ThenBy(m => m.UserName, StringComparer.Ordinal)];

    /// <summary>The open round's timer: due at its deadline, or at once when every party has already bid (a close that failed, or a crash between bid and close).</summary>
    private void ArmFromState()
    {
        if (_state is { } s && SessionRules.DueUtc(s, time.GetDatabaseUtcNow()) is { } due)
        {
            if (_armed is not { } armed || armed.Round != s.OpenRound!.Number || armed.Due != due)
            {
                Arm(s.OpenRound!.Number, due);
            }
        }
        else
        {
            Disarm();
        }

        SyncReminder();
    }

    /// <summary>
    /// A durable reminder follows the armed round (ADR 0019): the timer closes the round on time,
    /// and the reminder (every minute from the deadline) wakes the grain on whichever node holds it
    /// if its node died with the timer. Kept in order, off the call's path: a bid's acknowledgement
    /// does not wait for it.
    /// </summary>
    private void SyncReminder()
    {
        if (!options.Clustered)
        {
            // One node: the armed timer keeps the grain active (KeepAlive) and a restart wakes every
            // session with an open round; an in-memory reminder would die with the node, adding nothing.
            return;
        }

        var round = _armed?.Round;
        if (_reminder.Synced && _reminder.Round == round)
        {
            return;
        }

        _reminder = (true, round);
        var due = _armed?.Due;
        _reminderSync = _reminderSync.ContinueWith(_ => KeepReminderAsync(round, due), TaskScheduler.Current).Unwrap();
    }

    private async Task KeepReminderAsync(int? round, DateTime? due)
    {
        try
        {
            if (round is not null && due is { } at)
            {
                var wait = at - time.GetDatabaseUtcNow();
                await this.RegisterOrUpdateReminder(DeadlineReminder, wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait, TimeSpan.FromMinutes(1));
            }
            else if (await this.GetReminder(DeadlineReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The timer still closes the round on this node; the reminder is set again with the next round.
            _reminder = (false, null);
            log.LogWarning(exception, "Session {SessionId}: keeping the deadline reminder failed", SessionId);
        }
    }

    /// <summary>The deadline reminder woke the grain: its timer is armed again from the database's state, or the reminder goes when no round is open.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_state is null)
        {
            try
            {
                await ReloadAsync(CancellationToken.None);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                log.LogWarning(exception, "Session {SessionId}: loading the live state for the deadline reminder failed; the next reminder tries again", SessionId);
                return;
            }
        }

        ArmFromState();
    }

    private void Arm(int round, DateTime due) => Arm(round, due, due);

    /// <summary>Fires at <paramref name="fireAt"/> for round <paramref name="round"/>, which has been due since <paramref name="due"/> (later when waiting the grace or retrying).</summary>
    private void Arm(int round, DateTime due, DateTime fireAt)
    {
        var delay = fireAt - time.GetDatabaseUtcNow();
        _armed = (round, due);
        var dueTime = delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(OnDueAsync, new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        else
        {
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    private void Disarm()
    {
        _armed = null;
        _timer?.Dispose();
        _timer = null;
    }

    private async Task OnDueAsync(CancellationToken cancellationToken)
    {
        if (_armed is not { } armed)
        {
            return;
        }

        try
        {
            await DecideAndCommitAsync<RoundClosed?>(
                async s => SessionRules.CloseWhenDue(s, armed.Round, await ProblemAsync(armed.Round == s.OpenRound?.Number ? s.OpenRound.Period : s.CurrentPeriod), time.GetDatabaseUtcNow())
                    is { } close ? new LiveOutcome<RoundClosed?>(close.Reply, close.Write) : new LiveOutcome<RoundClosed?>(null, null),
                null);
            if (_armed == armed)
            {
                // Nothing closed (not due yet: a timer may fire a little early): armed again from the state.
                _armed = null;
                ArmFromState();
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            log.LogWarning(exception, "Session {SessionId} round {Round}: closing when due failed; retrying", SessionId, armed.Round);
            Arm(armed.Round, armed.Due, time.GetDatabaseUtcNow() + RetryInterval);
        }
    }
}

/// <summary>Counters of the live sessions (meter <c>NegotiationHub.Server</c>).</summary>
public sealed class LiveSessionMetrics : IDisposable
{
    private readonly Meter _meter = new(LiveTelemetry.MeterName);
    private readonly Counter<long> _messages;
    private readonly Counter<long> _loadsCounter;
    private readonly Counter<long> _staleCounter;
    private readonly Counter<long> _commitsCounter;
    private long _loads;
    private long _stale;
    private long _commits;

    public LiveSessionMetrics()
    {
        // Counters, not observable ones: where several servers share a process (the tests), an
        // exporter that listens by meter name sums their adds instead of keeping one server's value.
        _loadsCounter = _meter.CreateCounter<long>("negotiationhub.live.loads", description: "Live session states loaded from the database (activations, joins that found it older, reloads after a refusal or a stale write)");
        _staleCounter = _meter.CreateCounter<long>("negotiationhub.live.stale", description: "Writes the database refused because the live state was stale; decided again on fresh data");
        _commitsCounter = _meter.CreateCounter<long>("negotiationhub.live.commits", description: "Writes committed by live sessions (bids, openings, closes)");
        _messages = _meter.CreateCounter<long>("negotiationhub.live.messages", description: "Session messages committed and broadcast, by type (BidAccepted, RoundOpened, RoundClosed, AgreementReached)");
    }

    public long Loads => Interlocked.Read(ref _loads);

    public long Stale => Interlocked.Read(ref _stale);

    public long Commits => Interlocked.Read(ref _commits);

    internal void Loaded()
    {
        Interlocked.Increment(ref _loads);
        _loadsCounter.Add(1);
    }

    internal void Refused()
    {
        Interlocked.Increment(ref _stale);
        _staleCounter.Add(1);
    }

    internal void Committed(IReadOnlyList<ISessionMessage> messages)
    {
        Interlocked.Increment(ref _commits);
        _commitsCounter.Add(1);
        foreach (var message in messages)
        {
            _messages.Add(1, new KeyValuePair<string, object?>("type", message.GetType().Name));
        }
    }

    public void Dispose() => _meter.Dispose();
}

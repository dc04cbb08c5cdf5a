using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using NegotiationHub.Server.Rounds;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Live;

/// <summary>
/// The grain of one live session (ADR 0012). Orleans runs its calls one at a time, so a session's
/// bids, openings and closes from the hub, and its deadline, never interleave in this process; it
/// keeps who is in the room (presence is not history) and one grain timer for the open round's
/// deadline, armed from the database when the grain activates and after every change of round.
/// What a call decides and commits is <see cref="RoundService"/>'s.
/// </summary>
public sealed class LiveSessionGrain(
    RoundService rounds,
    IDbContextFactory<NegotiationDbContext> dbFactory,
    IHubContext<NegotiationSessionHub, INegotiationClient> hub,
    TimeProvider time,
    ILogger<LiveSessionGrain> log) : Grain, ILiveSession
{
    /// <summary>How soon a close that failed (a busy database, a race) is tried again.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a due round waits when no connection of its session is on this node: with several
    /// nodes (ADR 0005) the session's own node closes it, where its clients hear of it; this node
    /// closes it only if that node is gone.
    /// </summary>
    public static readonly TimeSpan HandOverGrace = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, MemberPresence> _online = new(StringComparer.Ordinal);
    private IGrainTimer? _timer;
    private (int Round, DateTimeOffset Due)? _armed;

    private Guid SessionId => this.GetPrimaryKey();

    private string Group => RoundService.Group(SessionId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ArmFromDatabaseAsync(cancellationToken);
        await base.OnActivateAsync(cancellationToken);
    }

    public Task Wake() => Task.CompletedTask;

    public async Task<LiveReply<SessionSnapshot>> Join(LiveCaller caller, string connectionId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        try
        {
            var snapshot = await rounds.SnapshotAsync(caller.ToCaller(), SessionId, Online(), CancellationToken.None);
            await hub.Groups.AddToGroupAsync(connectionId, Group);
            _online[connectionId] = new MemberPresence { UserName = caller.UserName, PartyIndex = snapshot.OwnPartyIndex };
            var online = Online();
            await hub.Clients.Group(Group).PresenceChanged(new PresenceChanged { SessionId = SessionId, Sequence = snapshot.Sequence, Online = online });
            if (snapshot.CurrentRound is { State: RoundState.Open } open && _armed?.Round != open.Round)
            {
                // Opened by another node (ADR 0005): this node now holds a connection of the session.
                await ArmFromDatabaseAsync(CancellationToken.None);
            }

            return LiveReply.Ok(snapshot with { Online = online });
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return LiveReply.Refused<SessionSnapshot>(HubGuardFilter.Refusal(exception, nameof(Join), log));
        }
    }

    public async Task Leave(string connectionId)
    {
        await hub.Groups.RemoveFromGroupAsync(connectionId, Group);
        if (_online.Remove(connectionId))
        {
            await hub.Clients.Group(Group).PresenceChanged(new PresenceChanged { SessionId = SessionId, Sequence = rounds.LastSequence(SessionId), Online = Online() });
        }
    }

    public async Task<LiveReply<BidAck>> SubmitBid(LiveCaller caller, LiveBid bid)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(bid);
        try
        {
            var ack = await rounds.SubmitBidAsync(caller.ToCaller(), SessionId, bid.ToSubmission(), CancellationToken.None);
            if (rounds.TakeFailedClose(SessionId))
            {
                // Every party has bid but the close did not commit: try again shortly.
                Arm(ack.Round, time.GetUtcNow() + RetryInterval);
            }

            return LiveReply.Ok(ack);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return LiveReply.Refused<BidAck>(HubGuardFilter.Refusal(exception, nameof(SubmitBid), log));
        }
    }

    public async Task<LiveReply<RoundOpened>> OpenRound(LiveCaller caller, int deadlineSeconds)
    {
        ArgumentNullException.ThrowIfNull(caller);
        try
        {
            var opened = await rounds.OpenRoundAsync(caller.ToCaller(), SessionId, deadlineSeconds, CancellationToken.None);
            Arm(opened.Round, opened.DeadlineUtc);
            return LiveReply.Ok(opened);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return LiveReply.Refused<RoundOpened>(HubGuardFilter.Refusal(exception, nameof(OpenRound), log));
        }
    }

    public async Task<LiveReply<RoundClosed>> CloseRound(LiveCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        try
        {
            var closed = await rounds.CloseRoundAsync(caller.ToCaller(), SessionId, CancellationToken.None);
            Disarm();
            return LiveReply.Ok(closed);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return LiveReply.Refused<RoundClosed>(HubGuardFilter.Refusal(exception, nameof(CloseRound), log));
        }
    }

    private List<MemberPresence> Online() =>
        [.. _online.Values.DistinctBy(m => m.UserName).OrderBy(m => m.PartyIndex ?? int.MaxValue).ThenBy(m => m.UserName, StringComparer.Ordinal)];

    /// <summary>The open round's timer: due at its deadline, or at once when every party has already bid (a close that failed, or a crash between bid and close).</summary>
    private async Task ArmFromDatabaseAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var open = await db.Rounds.AsNoTracking()
            .Where(r => r.SessionId == SessionId && r.State == Entities.RoundState.Open)
            .Select(r => new
            {
                r.Number,
                r.DeadlineUtc,
                AllBid = r.Bids.Count == db.Parties.Count(p => p.SessionId == r.SessionId),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (open is null)
        {
            Disarm();
            return;
        }

        var deadline = new DateTimeOffset(DateTime.SpecifyKind(open.DeadlineUtc, DateTimeKind.Utc));
        Arm(open.Number, open.AllBid ? time.GetUtcNow() : deadline);
    }

    private void Arm(int round, DateTimeOffset due)
    {
        var delay = due - time.GetUtcNow();
        _armed = (round, due);
        var options = new GrainTimerCreationOptions(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan) { KeepAlive = true };
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(OnDueAsync, options);
        }
        else
        {
            _timer.Change(options.DueTime, options.Period);
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

        if (_online.Count == 0 && time.GetUtcNow() < armed.Due + HandOverGrace)
        {
            Arm(armed.Round, armed.Due + HandOverGrace);
            _armed = armed; // still due since then
            return;
        }

        try
        {
            await rounds.CloseIfExpiredAsync(SessionId, armed.Round, cancellationToken);
            await ArmFromDatabaseAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another node closed it first.
            await ArmFromDatabaseAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            log.LogWarning(exception, "Session {SessionId} round {Round}: closing at its deadline failed; retrying", SessionId, armed.Round);
            Arm(armed.Round, time.GetUtcNow() + RetryInterval);
            _armed = armed;
        }
    }
}

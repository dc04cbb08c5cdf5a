using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;

namespace NegotiationHub.Server.Rounds;

/// <summary>
/// Closes rounds whose deadline has passed, auto-conceding late parties, and rounds left open
/// although every party has bid (the close after the last bid failed or the process died). Driven by the injected
/// <see cref="TimeProvider"/> (tests advance a fake clock) and by the database, so a round left
/// open by a crash is closed after restart.
/// </summary>
/// <remarks>
/// With several nodes (ADR 0005) every node's service sees every open round, but a round should
/// be closed where its session's connections are, or the <c>RoundClosed</c> broadcast goes to an
/// empty group: a node closes a due round at once only if clients of the session are connected to
/// it, and otherwise only after <see cref="HandOverGrace"/>, by which time the session's own node
/// has closed it, or is dead and its clients have moved here.
/// </remarks>
public sealed class DeadlineService(IDbContextFactory<NegotiationDbContext> dbFactory, RoundService rounds, Presence presence, TimeProvider time, ILogger<DeadlineService> log) : BackgroundService
{
    /// <summary>How often open rounds are checked.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a round may be due before a node without any of its session's connections closes it.</summary>
    public static readonly TimeSpan HandOverGrace = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    await CloseExpiredAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    log.LogError(exception, "Closing expired rounds failed; retrying at the next tick.");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <summary>
    /// Closes every open round whose deadline is at or before now, or whose parties have all bid;
    /// a round of a session with no connection to this node only once it has been due for <see cref="HandOverGrace"/>.
    /// </summary>
    public async Task<int> CloseExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetDatabaseUtcNow();
        var foreignDue = now - HandOverGrace;
        List<(Guid SessionId, int Number)> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var candidates = await db.Rounds.AsNoTracking()
                .Where(r => r.State == Data.Entities.RoundState.Open
                    && (r.DeadlineUtc <= now || r.Bids.Count == db.Parties.Count(p => p.SessionId == r.SessionId)))
                .Select(r => new
                {
                    r.SessionId,
                    r.Number,
                    r.DeadlineUtc,
                    AllBid = r.Bids.Count == db.Parties.Count(p => p.SessionId == r.SessionId),
                    LastBidUtc = r.Bids.Max(b => (DateTime?)b.SubmittedUtc),
                })
                .ToListAsync(cancellationToken);
            due = [.. candidates
                .Where(r => presence.HasConnections(r.SessionId)
                    || DueSince(r.DeadlineUtc, r.AllBid ? r.LastBidUtc : null) <= foreignDue)
                .Select(r => (r.SessionId, r.Number))];
        }

        var closed = 0;
        foreach (var (sessionId, number) in due)
        {
            try
            {
                if (await rounds.CloseIfExpiredAsync(sessionId, number, cancellationToken))
                {
                    closed++;
                }
            }
            catch (DbUpdateConcurrencyException)
            {
                // another node closed it first
            }
        }

        return closed;
    }

    /// <summary>When a round became due: at its deadline, or when its last party bid if that was earlier.</summary>
    private static DateTime DueSince(DateTime deadlineUtc, DateTime? allBidUtc) =>
        allBidUtc is { } bid && bid < deadlineUtc ? bid : deadlineUtc;
}

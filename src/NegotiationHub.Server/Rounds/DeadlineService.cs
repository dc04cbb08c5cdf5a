using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;

namespace NegotiationHub.Server.Rounds;

/// <summary>
/// Closes rounds whose deadline has passed, auto-conceding late parties, and rounds left open
/// although every party has bid (the close after the last bid failed or the process died). Driven by the injected
/// <see cref="TimeProvider"/> (tests advance a fake clock) and by the database, so a round left
/// open by a crash is closed after restart.
/// </summary>
public sealed class DeadlineService(IDbContextFactory<NegotiationDbContext> dbFactory, RoundService rounds, TimeProvider time, ILogger<DeadlineService> log) : BackgroundService
{
    /// <summary>How often open rounds are checked.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

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

    /// <summary>Closes every open round whose deadline is at or before now, or whose parties have all bid.</summary>
    public async Task<int> CloseExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetDatabaseUtcNow();
        List<(Guid SessionId, int Number)> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            due = (await db.Rounds.AsNoTracking()
                .Where(r => r.State == Data.Entities.RoundState.Open
                    && (r.DeadlineUtc <= now || r.Bids.Count == db.Parties.Count(p => p.SessionId == r.SessionId)))
                .Select(r => new { r.SessionId, r.Number })
                .ToListAsync(cancellationToken))
                .Select(r => (r.SessionId, r.Number)).ToList();
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
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>Fails the next save that closes a round, as a busy database (or another node's race) would.</summary>
internal sealed class FailingRoundClose : SaveChangesInterceptor
{
    private int _armed;
    private int _failures;

    public bool Failed => Failures > 0;

    /// <summary>How many closes this interceptor has failed.</summary>
    public int Failures => Volatile.Read(ref _failures);

    public void FailNext() => Volatile.Write(ref _armed, 1);

    // SQLite saves synchronously on its writer thread (SqliteWriteGate), PostgreSQL asynchronously.
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        FailIfArmed(eventData);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        FailIfArmed(eventData);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    private void FailIfArmed(DbContextEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context?.ChangeTracker.Entries<Entities.Round>().Any(e => e.State == EntityState.Modified && e.Entity.State == Entities.RoundState.Closed) == true
            && Interlocked.Exchange(ref _armed, 0) == 1)
        {
            Interlocked.Increment(ref _failures);
            throw new DbUpdateException("simulated: database is locked");
        }
    }
}

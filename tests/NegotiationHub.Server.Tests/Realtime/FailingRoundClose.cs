using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// Fails the next save that closes a round: as a busy database would, or (<c>FailNext(busy: false)</c>)
/// as a write from a stale state would, the session row having moved on.
/// </summary>
internal sealed class FailingRoundClose : SaveObserver
{
    private int _armed;
    private volatile bool _busy;
    private int _failures;

    public bool Failed => Failures > 0;

    /// <summary>How many closes this interceptor has failed.</summary>
    public int Failures => Volatile.Read(ref _failures);

    public void FailNext(bool busy = true)
    {
        _busy = busy;
        Volatile.Write(ref _armed, 1);
    }

    protected override void Saving(DbContext db)
    {
        if (db.ChangeTracker.Entries<Entities.Round>().Any(e => e.State == EntityState.Modified && e.Entity.State == global::NegotiationHub.Contracts.RoundState.Closed)
            && Interlocked.Exchange(ref _armed, 0) == 1)
        {
            Interlocked.Increment(ref _failures);
            // Busy as SQLite reports it (SQLITE_BUSY inside EF's exception) is not a stale state,
            // so it is not redone at once: the live session's timer tries again. A stale write is redone on fresh data.
            throw _busy
                ? new DbUpdateException("simulated", new SqliteException("simulated: database is locked", 5))
                : new DbUpdateConcurrencyException("simulated: the session row has moved on");
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// A test interceptor that sees every save before it runs, on either provider: SQLite saves
/// synchronously on its writer thread (SqliteWriteGate), PostgreSQL asynchronously.
/// </summary>
internal abstract class SaveObserver : SaveChangesInterceptor
{
    public sealed override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ObserveContext(eventData);
        return base.SavingChanges(eventData, result);
    }

    public sealed override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ObserveContext(eventData);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    /// <summary>Called with the context about to save; throwing fails the save with nothing written.</summary>
    protected abstract void Saving(DbContext db);

    private void ObserveContext(DbContextEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } db)
        {
            Saving(db);
        }
    }
}

using Microsoft.Data.Sqlite;

namespace NegotiationHub.Server.Persistence;

/// <summary>Database failures that mean "the store could not take the write now", not "the request was wrong".</summary>
public static class StoreFailures
{
    /// <summary>What a caller is told when its write met a busy database (nothing of it was committed).</summary>
    public const string BusyMessage = NegotiationHub.Contracts.HubErrors.DatabaseBusy;

    // SQLite's primary result codes: SQLITE_BUSY (another connection holds the lock past the busy
    // timeout) and SQLITE_LOCKED (a conflict inside one connection's shared cache).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>
    /// True when <paramref name="exception"/> (or one it wraps, e.g. EF's <c>DbUpdateException</c>)
    /// is SQLite reporting a lock it could not get: the transaction was rolled back whole.
    /// </summary>
    public static bool IsBusy(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked })
            {
                return true;
            }
        }

        return false;
    }
}

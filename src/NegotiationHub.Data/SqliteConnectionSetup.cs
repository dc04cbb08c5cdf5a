using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace NegotiationHub.Data;

/// <summary>How hard a SQLite commit waits for the disk (ADR 0009); the file is always in WAL mode.</summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// <c>PRAGMA synchronous=NORMAL</c>, the default: the WAL is synced at checkpoints, not at every
    /// commit. A committed transaction survives a killed or crashed server process; a power cut or
    /// an operating-system crash may lose the last commits before the checkpoint, never corrupt the file.
    /// </summary>
    Normal,

    /// <summary><c>PRAGMA synchronous=FULL</c>: every commit is synced; it survives a power cut too, at a sync per write.</summary>
    Full,
}

/// <summary>
/// Sets a SQLite connection's per-connection pragmas when EF opens it (durability, and the WAL
/// auto-checkpoint threshold): once per native handle, which the pool keeps across
/// <c>SqliteConnection</c> objects.
/// </summary>
internal sealed class SqliteConnectionSetup(SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    /// <summary>
    /// WAL pages after which a committing connection checkpoints by itself: only a safety net, as the
    /// file's writer thread checkpoints between writes long before (<see cref="SqliteWriteGate"/>).
    /// </summary>
    public const int AutoCheckpointPages = 10_000;

    private readonly string _pragma = (synchronous == SqliteSynchronous.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;")
        + $" PRAGMA wal_autocheckpoint={AutoCheckpointPages};";
    private readonly ConditionalWeakTable<object, object> _done = [];

    /// <summary>The pragmas a connection to the file gets when it opens.</summary>
    public string Pragma => _pragma;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!FirstOpen(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!FirstOpen(connection))
        {
            return;
        }

        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = _pragma;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True the first time this native handle is seen (a fresh connection, not one back from the pool).</summary>
    private bool FirstOpen(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || _done.TryAdd(handle, handle);
}

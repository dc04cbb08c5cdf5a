using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NegotiationHub.Data;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// Fails the next live write that closes a round (added with <c>AddInterceptors</c>; the live
/// writes go through <see cref="RowWriter"/>): as a busy database would, or
/// (<c>FailNext(busy: false)</c>) as a write from a stale state would — another writer moves the
/// session row on just before it, so the write's own version check refuses it.
/// </summary>
internal sealed class FailingRoundClose : IInterceptor, IRowWriteInterceptor
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

    public void Writing(DbConnection connection, IReadOnlyList<RowChange> changes, IReadOnlyList<Entities.AuditEntry> entries)
    {
        if (changes.FirstOrDefault(c => c.Original is not null && c.Entity is Entities.Round { State: global::NegotiationHub.Contracts.RoundState.Closed }) is not { Entity: Entities.Round closing }
            || Interlocked.Exchange(ref _armed, 0) != 1)
        {
            return;
        }

        Interlocked.Increment(ref _failures);
        if (_busy)
        {
            // Busy as SQLite reports it is not a stale state, so it is not redone at once: the live session's timer tries again.
            throw new DbUpdateException("simulated", new SqliteException("simulated: database is locked", 5));
        }

        // Another writer moves the session row on (a set-up call, another node): the write's version check fails, as a real stale write's does.
        using var command = connection.CreateCommand();
        command.CommandText = """UPDATE "Sessions" SET "Version" = "Version" + 1 WHERE "Id" = @id""";
        var id = command.CreateParameter();
        id.ParameterName = "@id";
        id.Value = connection is SqliteConnection ? closing.SessionId.ToString().ToUpperInvariant() : closing.SessionId;
        command.Parameters.Add(id);
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}

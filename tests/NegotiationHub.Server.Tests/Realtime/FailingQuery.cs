using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// While armed, fails every query whose SQL names <paramref name="table"/>, as a lost connection or
/// a damaged page would: a read the server cannot do.
/// </summary>
internal sealed class FailingQuery(string table) : DbCommandInterceptor
{
    private volatile bool _armed;
    private int _failures;

    /// <summary>How many queries this interceptor has failed.</summary>
    public int Failures => Volatile.Read(ref _failures);

    public void Arm() => _armed = true;

    public void Disarm() => _armed = false;

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        FailIfArmed(command);
        return base.ReaderExecuting(command, eventData, result);
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        FailIfArmed(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void FailIfArmed(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_armed && command.CommandText.Contains(table, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _failures);
            throw new InvalidOperationException($"simulated: the query of {table} failed");
        }
    }
}

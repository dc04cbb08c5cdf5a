using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NegotiationHub.Data;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>Records what each live write (one transaction, <see cref="RowWriter"/>) adds and closes; added with <c>AddInterceptors</c>.</summary>
internal sealed class RecordingSaves : IInterceptor, IRowWriteInterceptor
{
    private readonly Lock _lock = new();
    private readonly List<Save> _saves = [];

    /// <summary>One write: the ids of the bids it added and the numbers of the rounds it closed.</summary>
    public sealed record Save(IReadOnlyList<Guid> AddedBids, IReadOnlyList<int> ClosedRounds);

    public IReadOnlyList<Save> Saves
    {
        get
        {
            lock (_lock)
            {
                return [.. _saves];
            }
        }
    }

    public void Writing(DbConnection connection, IReadOnlyList<RowChange> changes, IReadOnlyList<Entities.AuditEntry> entries)
    {
        var bids = changes.Where(c => c.Original is null).Select(c => c.Entity).OfType<Entities.Bid>().Select(b => b.Id).ToList();
        var closed = changes.Where(c => c.Original is not null).Select(c => c.Entity).OfType<Entities.Round>()
            .Where(r => r.State == global::NegotiationHub.Contracts.RoundState.Closed).Select(r => r.Number).ToList();
        lock (_lock)
        {
            _saves.Add(new Save(bids, closed));
        }
    }
}

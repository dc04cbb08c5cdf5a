using Microsoft.EntityFrameworkCore;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// Records what each save (one transaction) wrote: the bids it added and the rounds it closed.
/// </summary>
internal sealed class RecordingSaves : SaveObserver
{
    private readonly Lock _lock = new();
    private readonly List<Save> _saves = [];

    /// <summary>One save: the ids of the bids it added and the numbers of the rounds it closed.</summary>
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

    protected override void Saving(DbContext db)
    {
        var bids = db.ChangeTracker.Entries<Entities.Bid>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.Id).ToList();
        var closed = db.ChangeTracker.Entries<Entities.Round>()
            .Where(e => e.State == EntityState.Modified && e.Entity.State == global::NegotiationHub.Contracts.RoundState.Closed)
            .Select(e => e.Entity.Number).ToList();
        lock (_lock)
        {
            _saves.Add(new Save(bids, closed));
        }
    }
}

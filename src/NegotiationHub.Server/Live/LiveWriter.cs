using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Live;

/// <summary>
/// Commits a <see cref="LiveWrite"/> in one transaction (ADR 0012) through the prepared
/// <see cref="RowWriter"/> (ADR 0020): the session row moved on by the write's messages <b>where its
/// version is still the state's</b> (the safety net against a stale state: another node, a set-up
/// call), the rows, and the audit entries after the state's chain head (unique per chain and
/// sequence), the last recording the rows. Reads nothing.
/// </summary>
public sealed class LiveWriter(RowWriter rows, ILogger<LiveWriter> log)
{
    /// <summary>
    /// The new audit chain head, or null with nothing written when the database refused the write
    /// as stale (the version moved on, or a key is taken: the bid id was used before, the chain grew).
    /// A busy database throws (nothing written; the caller is told to resend).
    /// </summary>
    public async Task<AuditHead?> CommitAsync(LiveState s, LiveWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(write);
        var changes = new List<RowChange>(4)
        {
            RowChange.Modified(
                new NegotiationSession { Id = s.Id, Version = write.Next.Version, Sequence = write.Next.Sequence, CurrentRound = write.Next.CurrentRound, State = write.Next.State },
                new NegotiationSession { Id = s.Id, Version = s.Version, Sequence = s.Sequence, CurrentRound = s.CurrentRound, State = s.State }),
        };
        if (write.NewRound is { } round)
        {
            changes.Add(RowChange.Added(round));
        }

        if (write.NewBid is { } bid)
        {
            changes.Add(RowChange.Added(bid));
        }

        if (write.Close is { } close)
        {
            var open = new Round { SessionId = s.Id, Number = close.Round, State = global::NegotiationHub.Contracts.RoundState.Open, Period = close.Period };
            var closed = new Round { SessionId = s.Id, Number = close.Round, State = open.State, Period = close.Period };
            close.Closing.ApplyTo(closed);
            changes.Add(RowChange.Modified(closed, open));
            foreach (var conceded in close.Closing.AutoConceded)
            {
                changes.Add(RowChange.Added(conceded));
            }

            if (close.Closing.Contract is { } contract)
            {
                changes.Add(RowChange.Added(contract));
                foreach (var revision in contract.Revisions)
                {
                    revision.ContractId = contract.Id;
                    changes.Add(RowChange.Added(revision));
                }
            }
        }

        var chain = AuditChain.ForSession(s.Id);
        var head = s.Head;
        var entries = new List<AuditEntry>(write.Audit.Count);
        for (var i = 0; i < write.Audit.Count; i++)
        {
            // The last entry gets the rows, and its hash, from the row writer.
            var record = write.Audit[i];
            var entry = AuditLog.Next(chain, head, record.Actor, record.Type, record.Payload, record.Time, hash: i < write.Audit.Count - 1);
            entries.Add(entry);
            head = new AuditHead(entry.Sequence, entry.Hash);
        }

        if (!await rows.WriteAsync(changes, entries, cancellationToken))
        {
            log.LogDebug("Session {SessionId}: the live state was stale; deciding again on fresh data", s.Id);
            return null;
        }

        // The write recorded the rows in its last entry, which changed that entry's hash.
        return entries.Count == 0 ? head : new AuditHead(entries[^1].Sequence, entries[^1].Hash);
    }
}

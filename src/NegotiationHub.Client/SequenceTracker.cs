namespace NegotiationHub.Client;

/// <summary>What <see cref="SequenceTracker.Observe"/> made of a message's sequence number.</summary>
internal enum SequenceOrder
{
    /// <summary>The first message seen for the session: it becomes the baseline.</summary>
    First,

    /// <summary>The next number after the last one seen.</summary>
    Next,

    /// <summary>Numbers were skipped: messages were missed.</summary>
    Gap,

    /// <summary>At or below the last number seen: already applied (e.g. included in a snapshot).</summary>
    Stale,
}

/// <summary>
/// The last sequence number seen per session (PRODUCT.md: every server message carries the
/// session's sequence number so a client can detect gaps). Thread-safe: broadcasts and
/// invocation results arrive on different threads.
/// </summary>
internal sealed class SequenceTracker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, long> _last = [];

    /// <summary>Records a broadcast's number and says how it follows the last one.</summary>
    /// <returns>The order, and the number that was expected next (meaningful for <see cref="SequenceOrder.Gap"/>).</returns>
    public (SequenceOrder Order, long Expected) Observe(Guid sessionId, long sequence)
    {
        lock (_lock)
        {
            if (!_last.TryGetValue(sessionId, out var last))
            {
                _last[sessionId] = sequence;
                return (SequenceOrder.First, sequence);
            }

            var expected = last + 1;
            if (sequence <= last)
            {
                return (SequenceOrder.Stale, expected);
            }

            _last[sessionId] = sequence;
            return (sequence == expected ? SequenceOrder.Next : SequenceOrder.Gap, expected);
        }
    }

    /// <summary>
    /// Sets the baseline from a snapshot. Unconditional, even if a later broadcast was already
    /// seen: the snapshot's state is what the client now holds, so a broadcast it lacks must show
    /// up as a gap (a spurious resync at worst) rather than be lost silently.
    /// </summary>
    public void Reset(Guid sessionId, long sequence)
    {
        lock (_lock)
        {
            _last[sessionId] = sequence;
        }
    }

    /// <summary>Drops a session's baseline: the next message for it is <see cref="SequenceOrder.First"/>.</summary>
    public void Forget(Guid sessionId)
    {
        lock (_lock)
        {
            _last.Remove(sessionId);
        }
    }

    /// <summary>The last number seen for a session, or null if none.</summary>
    public long? Last(Guid sessionId)
    {
        lock (_lock)
        {
            return _last.TryGetValue(sessionId, out var last) ? last : null;
        }
    }
}

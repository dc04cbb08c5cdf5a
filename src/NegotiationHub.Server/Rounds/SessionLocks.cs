using System.Collections.Concurrent;

namespace NegotiationHub.Server.Rounds;

/// <summary>
/// One async lock per session: every state change of a session (bid, open, close) runs under it,
/// so a session has a single writer path in this process and its messages leave in sequence order.
/// Across nodes the session's optimistic-concurrency token guards the same transitions (ADR 0003).
/// </summary>
public sealed class SessionLocks
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    public async Task<IDisposable> AcquireAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(sessionId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Releaser(gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}

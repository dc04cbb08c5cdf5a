namespace NegotiationHub.Bots.Load;

/// <summary>
/// Tells when a process's just-in-time compiler has gone quiet: its count of compiled methods has
/// not grown for <see cref="Quiet"/>. The load driver waits for it on the server between set-up and
/// bidding. Tiered compilation recompiles the set-up's methods that became hot (optimized, tier 1)
/// on a background thread after the set-up; measured from the end of the set-up, that one-off work
/// (a thousand methods and more, a core's seconds on the negotiation hub) would be counted as the
/// bids' CPU, which a long-running server does not spend.
/// </summary>
public sealed class JitQuiet(TimeSpan quiet)
{
    private long _firstCount;
    private (TimeSpan At, long Count)? _lastChange;

    /// <summary>How long the count must stay unchanged.</summary>
    public TimeSpan Quiet { get; } = quiet >= TimeSpan.Zero ? quiet : throw new ArgumentOutOfRangeException(nameof(quiet), quiet, "The quiet time cannot be negative.");

    /// <summary>Methods compiled between the first observation and the last change.</summary>
    public long Compiled => _lastChange is { } last ? last.Count - _firstCount : 0;

    /// <summary>Takes the count at <paramref name="at"/> (non-decreasing times); true once it has not grown for <see cref="Quiet"/>.</summary>
    public bool Observe(TimeSpan at, long count)
    {
        if (_lastChange is not { } last)
        {
            _firstCount = count;
            _lastChange = (at, count);
            return Quiet == TimeSpan.Zero;
        }

        if (at < last.At)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, "Observations must come in time order.");
        }

        if (count != last.Count)
        {
            _lastChange = (at, count);
            return Quiet == TimeSpan.Zero;
        }

        return at - last.At >= Quiet;
    }
}

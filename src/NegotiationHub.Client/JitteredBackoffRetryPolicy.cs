using Microsoft.AspNetCore.SignalR.Client;

namespace NegotiationHub.Client;

/// <summary>
/// Reconnect delays that grow exponentially up to a cap, with random jitter so that many clients
/// dropped at once (a server restart with 1,000 bots) do not come back in lockstep. The first
/// retry waits a random time in [0, <see cref="InitialDelay"/>] ("full jitter", so a brief blip
/// heals fast); retry n ≥ 1 waits a random time in [c/2, c] with c = min(<see cref="MaxDelay"/>,
/// <see cref="InitialDelay"/>·2ⁿ) ("equal jitter", so retries never hammer the server). Gives up
/// (the connection closes) once reconnecting has taken <see cref="MaxElapsed"/>.
/// </summary>
public sealed class JitteredBackoffRetryPolicy : IRetryPolicy
{
    private readonly Random? _random;

    /// <summary>Creates the policy.</summary>
    /// <param name="initialDelay">Upper bound of the first delay; default 1 s. Must be ≥ 0.</param>
    /// <param name="maxDelay">Cap on any delay; default 30 s. Must be ≥ <paramref name="initialDelay"/>.</param>
    /// <param name="maxElapsed">Stop retrying after this long; default 5 min; <see cref="Timeout.InfiniteTimeSpan"/> retries forever.</param>
    /// <param name="random">Source of jitter, for reproducible tests; <see cref="Random.Shared"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A delay is negative, or <paramref name="maxDelay"/> &lt; <paramref name="initialDelay"/>.</exception>
    public JitteredBackoffRetryPolicy(TimeSpan? initialDelay = null, TimeSpan? maxDelay = null, TimeSpan? maxElapsed = null, Random? random = null)
    {
        InitialDelay = initialDelay ?? TimeSpan.FromSeconds(1);
        MaxDelay = maxDelay ?? TimeSpan.FromSeconds(30);
        MaxElapsed = maxElapsed ?? TimeSpan.FromMinutes(5);
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialDelay, TimeSpan.Zero, nameof(initialDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, InitialDelay, nameof(maxDelay));
        if (MaxElapsed != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(MaxElapsed, TimeSpan.Zero, nameof(maxElapsed));
        }

        _random = random;
    }

    /// <summary>Upper bound of the first delay, and the base of the exponential growth.</summary>
    public TimeSpan InitialDelay { get; }

    /// <summary>Cap on any single delay.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>How long to keep reconnecting; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</summary>
    public TimeSpan MaxElapsed { get; }

    /// <inheritdoc />
    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        ArgumentNullException.ThrowIfNull(retryContext);
        if (MaxElapsed != Timeout.InfiniteTimeSpan && retryContext.ElapsedTime >= MaxElapsed)
        {
            return null;
        }

        var attempt = retryContext.PreviousRetryCount;
        var jitter = NextDouble();
        if (attempt == 0)
        {
            return InitialDelay * jitter;
        }

        // Doubles cannot overflow here; the exponent is clamped only to keep the arithmetic exact.
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 62)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (0.5 * jitter)));
    }

    private double NextDouble()
    {
        if (_random is null)
        {
            return Random.Shared.NextDouble();
        }

        // A caller's Random is not thread-safe, and one policy may serve many connections (bots).
        lock (_random)
        {
            return _random.NextDouble();
        }
    }
}

using System.Collections.Concurrent;

namespace NegotiationHub.Server.Accounts;

/// <summary>
/// Per-address throttling of failed sign-ins, below the per-account lockout (issue 20, item 4): one
/// address may fail <see cref="MaxFailuresPerAddress"/> times per <see cref="Window"/> — fewer than
/// the <see cref="AccountsApi.MaxFailedSignIns"/> that lock an account — and is then answered 429
/// before any account is looked at. So nobody can lock another user out from one address.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    /// <summary>Failed sign-ins one address may make per window.</summary>
    public const int MaxFailuresPerAddress = AccountsApi.MaxFailedSignIns - 1;

    /// <summary>The window, as long as a lockout.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(AccountsApi.LockoutMinutes);

    private const int MaxTracked = 100_000;
    private readonly ConcurrentDictionary<string, Entry> _failures = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="address"/> must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(string address)
    {
        var now = time.GetUtcNow();
        if (_failures.TryGetValue(address, out var entry) && now - entry.Since < Window && entry.Count >= MaxFailuresPerAddress)
        {
            return entry.Since + Window - now;
        }

        return null;
    }

    /// <summary>Counts a failed sign-in from <paramref name="address"/>.</summary>
    public void Failed(string address)
    {
        var now = time.GetUtcNow();
        if (_failures.Count >= MaxTracked)
        {
            foreach (var (key, old) in _failures)
            {
                if (now - old.Since >= Window)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }

        _failures.AddOrUpdate(address, _ => new Entry(now, 1), (_, e) => now - e.Since >= Window ? new Entry(now, 1) : e with { Count = e.Count + 1 });
    }

    private sealed record Entry(DateTimeOffset Since, int Count);
}

using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using NegotiationHub.Server.Live;

namespace NegotiationHub.Server.Realtime;

/// <summary><c>Hub:*</c> settings.</summary>
public sealed class RealtimeOptions
{
    /// <summary>Browser origins allowed to open the hub's WebSocket (same-origin is always allowed).</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Hub invocations a connection may make per second (token bucket, burst of twice this).</summary>
    public int InvocationsPerSecond { get; set; } = 20;

    /// <summary>Map the bare echo hub at <c>/hubs/echo</c>, the load test's floor (off by default).</summary>
    public bool EnableEchoHub { get; set; }

    /// <summary>Largest incoming hub message in bytes.</summary>
    public long MaximumReceiveMessageSize { get; set; } = 32 * 1024;
}

/// <summary>
/// Around every hub call: a per-connection rate limit, and every refusal turned into a
/// <see cref="HubException"/> whose message says what was wrong (nothing was written).
/// </summary>
public sealed class HubGuardFilter(Microsoft.Extensions.Options.IOptions<RealtimeOptions> options, ILogger<HubGuardFilter> log) : IHubFilter
{
    private const string LimiterKey = "nh.limiter";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        var items = invocationContext.Context.Items;
        if (items[LimiterKey] is not TokenBucketRateLimiter limiter)
        {
            var rate = Math.Max(1, options.Value.InvocationsPerSecond);
            limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = rate * 2, TokensPerPeriod = rate, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
            });
            items[LimiterKey] = limiter;
        }

        using var lease = limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            throw new HubException("Too many calls: slow down and try again in a second.");
        }

        try
        {
            return await next(invocationContext);
        }
        catch (Exception exception) when (exception is not HubException and not OperationCanceledException)
        {
            throw new HubException(LiveRefusals.Describe(exception, invocationContext.HubMethodName, log));
        }
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        (context.Context.Items[LimiterKey] as IDisposable)?.Dispose();
        return next(context, exception);
    }
}

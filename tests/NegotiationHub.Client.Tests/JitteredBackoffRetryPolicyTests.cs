using Microsoft.AspNetCore.SignalR.Client;

namespace NegotiationHub.Client.Tests;

public sealed class JitteredBackoffRetryPolicyTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Fact]
    public void The_first_retry_waits_at_most_the_initial_delay()
    {
        var policy = new JitteredBackoffRetryPolicy(Initial, Max, random: new Random(7));

        var delays = Enumerable.Range(0, 200).Select(_ => policy.NextRetryDelay(Context(attempt: 0))!.Value).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, Initial));
        Assert.True(delays.Distinct().Count() > 100, "The first delays should be jittered.");
    }

    [Theory]
    [InlineData(1, 1_000, 2_000)]
    [InlineData(2, 2_000, 4_000)]
    [InlineData(4, 8_000, 16_000)]
    [InlineData(5, 15_000, 30_000)]
    [InlineData(40, 15_000, 30_000)]
    [InlineData(1_000_000, 15_000, 30_000)]
    public void Later_retries_wait_between_half_and_all_of_the_doubled_delay_capped(long attempt, double minMs, double maxMs)
    {
        var policy = new JitteredBackoffRetryPolicy(Initial, Max, random: new Random(11));

        for (var sample = 0; sample < 200; sample++)
        {
            var delay = policy.NextRetryDelay(Context(attempt))!.Value;
            Assert.InRange(delay.TotalMilliseconds, minMs, maxMs);
        }
    }

    [Fact]
    public void It_gives_up_once_reconnecting_has_taken_MaxElapsed()
    {
        var policy = new JitteredBackoffRetryPolicy(Initial, Max, TimeSpan.FromMinutes(2));

        Assert.NotNull(policy.NextRetryDelay(Context(attempt: 3, elapsed: TimeSpan.FromSeconds(119))));
        Assert.Null(policy.NextRetryDelay(Context(attempt: 4, elapsed: TimeSpan.FromMinutes(2))));
    }

    [Fact]
    public void With_an_infinite_MaxElapsed_it_never_gives_up()
    {
        var policy = new JitteredBackoffRetryPolicy(Initial, Max, Timeout.InfiniteTimeSpan);

        Assert.NotNull(policy.NextRetryDelay(Context(attempt: 10_000, elapsed: TimeSpan.FromDays(30))));
    }

    [Fact]
    public void A_cap_below_the_initial_delay_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new JitteredBackoffRetryPolicy(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)));
    }

    private static RetryContext Context(long attempt, TimeSpan? elapsed = null) =>
        new() { PreviousRetryCount = attempt, ElapsedTime = elapsed ?? TimeSpan.Zero };
}

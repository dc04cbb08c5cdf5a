using NegotiationHub.Bots.Load;

namespace NegotiationHub.Server.Tests.Bots;

/// <summary>The load driver's test for a server JIT that has gone quiet, on counts worked by hand.</summary>
public sealed class JitQuietTests
{
    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void Quiet_once_the_count_has_not_grown_for_the_quiet_time_and_counts_what_was_compiled_meanwhile()
    {
        var watch = new JitQuiet(Ms(1000));

        Assert.False(watch.Observe(Ms(0), 100));
        Assert.False(watch.Observe(Ms(250), 140)); // grew: the quiet time starts again at 250
        Assert.False(watch.Observe(Ms(1000), 140)); // 750 ms unchanged
        Assert.False(watch.Observe(Ms(1200), 141)); // grew again, at 1200
        Assert.False(watch.Observe(Ms(2100), 141)); // 900 ms
        Assert.True(watch.Observe(Ms(2200), 141)); // 1000 ms
        Assert.Equal(41, watch.Compiled);
    }

    [Fact]
    public void A_count_that_never_grows_is_quiet_after_the_quiet_time_with_nothing_compiled()
    {
        var watch = new JitQuiet(Ms(500));

        Assert.False(watch.Observe(Ms(10), 7));
        Assert.False(watch.Observe(Ms(509), 7));
        Assert.True(watch.Observe(Ms(510), 7));
        Assert.Equal(0, watch.Compiled);
    }

    [Fact]
    public void No_quiet_time_is_quiet_at_once()
    {
        var watch = new JitQuiet(TimeSpan.Zero);
        Assert.True(watch.Observe(Ms(0), 5));
        Assert.True(watch.Observe(Ms(1), 9));
        Assert.Equal(4, watch.Compiled);
    }

    [Fact]
    public void A_negative_quiet_time_or_observations_out_of_order_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new JitQuiet(Ms(-1)));
        var watch = new JitQuiet(Ms(100));
        watch.Observe(Ms(50), 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => watch.Observe(Ms(49), 1));
    }
}

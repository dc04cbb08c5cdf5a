using NegotiationHub.Bots.Load;

namespace NegotiationHub.Server.Tests.Bots;

/// <summary>The hub against the echo floor pair by pair (<see cref="LoadPairs"/>): ratios by hand, medians, refusals, the table.</summary>
public sealed class LoadPairsTests
{
    private static LoadReport Run(string hub, double cpuSeconds, double p99) => new()
    {
        Hub = hub, Sessions = 10, Parties = 4, Connections = 40, Rounds = 250, Bids = 1000, BidsPerSecond = 50,
        P50 = 1, P95 = 2, P99 = p99, LostBids = 0, DuplicatedBids = 0, RefusedBids = 0, Agreed = hub == "echo" ? 0 : 10, ServerCpuSeconds = cpuSeconds,
    };

    [Fact]
    public void Each_pair_gives_the_hubs_cpu_per_bid_and_p99_over_the_echos()
    {
        // 1000 bids: CPU ms per bid = seconds. Pair 1: 1.0 / 0.5 = 2, 12 / 4 = 3. Pair 2: 0.9 / 0.3 = 3, 9 / 6 = 1.5.
        var ratios = LoadPairs.Ratios([Run("negotiation", 1.0, 12), Run("echo", 0.5, 4), Run("negotiation", 0.9, 9), Run("echo", 0.3, 6)]);

        Assert.Equal(2, ratios.Count);
        Assert.Equal(2.0, ratios[0].Cpu!.Value, 12);
        Assert.Equal(3.0, ratios[0].P99!.Value, 12);
        Assert.Equal(3.0, ratios[1].Cpu!.Value, 12);
        Assert.Equal(1.5, ratios[1].P99!.Value, 12);
    }

    [Theory]
    [InlineData(new[] { 3.0 }, 3.0)]
    [InlineData(new[] { 2.5, 1.0, 4.0 }, 2.5)]
    [InlineData(new[] { 4.0, 1.0, 2.0, 3.0 }, 2.5)]
    [InlineData(new[] { 2.0, 2.0 }, 2.0)]
    public void The_median_is_the_middle_value_or_the_mean_of_the_middle_two(double[] values, double median) =>
        Assert.Equal(median, LoadPairs.Median(values));

    [Fact]
    public void The_median_of_nothing_is_null() => Assert.Null(LoadPairs.Median([]));

    [Fact]
    public void Reports_that_are_not_negotiation_echo_pairs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LoadPairs.Ratios([]));
        Assert.Throws<ArgumentException>(() => LoadPairs.Ratios([Run("negotiation", 1, 1)]));
        Assert.Throws<ArgumentException>(() => LoadPairs.Ratios([Run("echo", 1, 1), Run("negotiation", 1, 1)]));
        Assert.Throws<ArgumentException>(() => LoadPairs.Ratios([Run("negotiation", 1, 1), Run("negotiation", 1, 1)]));
    }

    [Fact]
    public void A_missing_or_zero_echo_figure_gives_no_ratio()
    {
        var ratios = LoadPairs.Ratios([Run("negotiation", 1, 10), Run("echo", 0, 0), Run("negotiation", 1, 10), Run("echo", 0.5, 5) with { ServerCpuSeconds = null }]);

        Assert.Null(ratios[0].Cpu);
        Assert.Null(ratios[0].P99);
        Assert.Null(ratios[1].Cpu);
        Assert.Equal(2.0, ratios[1].P99!.Value, 12);
    }

    [Fact]
    public void The_table_has_a_row_per_pair_and_the_medians_of_the_ratios()
    {
        var table = LoadPairs.Markdown([
            Run("negotiation", 1.0, 12), Run("echo", 0.5, 4),
            Run("negotiation", 0.9, 9), Run("echo", 0.3, 6),
            Run("negotiation", 1.2, 10), Run("echo", 0.48, 5),
        ]).Split('\n');

        Assert.Equal(LoadPairs.MarkdownHeader.Split('\n'), table[..2]);
        Assert.Equal("| 1 | 1.00 (0.50) | 2.00× | 12.0 (4.0) | 3.00× |", table[2]);
        Assert.Equal("| 2 | 0.90 (0.30) | 3.00× | 9.0 (6.0) | 1.50× |", table[3]);
        Assert.Equal("| 3 | 1.20 (0.48) | 2.50× | 10.0 (5.0) | 2.00× |", table[4]);
        Assert.Equal("| median of 3 | | 2.50× | | 2.00× |", table[5]);
        Assert.Equal(6, table.Length);
    }
}

using System.Globalization;

namespace NegotiationHub.Bots.Load;

/// <summary>What a load run measured.</summary>
public sealed record LoadReport
{
    /// <summary>The Markdown table's header (and separator) that <see cref="MarkdownRow"/> rows go under.</summary>
    public const string MarkdownHeader =
        "| hub | sessions × parties | connections | rounds | bids | bids/s | p50 ms | p95 ms | p99 ms | lost | duplicated | refused | agreed | server RSS Δ | KB/connection | server CPU ms/bid | server KB allocated/bid | server GC pause ms | server JIT ms | driver GC pause ms |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    /// <summary>"negotiation" or "echo".</summary>
    public required string Hub { get; init; }

    /// <summary>Sessions (echo: groups) driven.</summary>
    public required int Sessions { get; init; }

    /// <summary>Parties per session.</summary>
    public required int Parties { get; init; }

    /// <summary>Hub connections open during the run (members, plus coordinators on the negotiation hub).</summary>
    public required int Connections { get; init; }

    /// <summary>Rounds closed over all sessions (echo: rounds run).</summary>
    public required int Rounds { get; init; }

    /// <summary>Bids acknowledged.</summary>
    public required int Bids { get; init; }

    /// <summary>Acknowledged bids per second, over the span from the first bid sent to the last acknowledged one sent.</summary>
    public required double BidsPerSecond { get; init; }

    /// <summary>Median latency from a round's last bid to its broadcast received, ms.</summary>
    public required double P50 { get; init; }

    /// <summary>95th percentile of the same, ms.</summary>
    public required double P95 { get; init; }

    /// <summary>99th percentile of the same, ms.</summary>
    public required double P99 { get; init; }

    /// <summary>Acknowledged bids missing (or different) in the broadcast round analysis or the stored history (echo: in some group member's echoes).</summary>
    public required int LostBids { get; init; }

    /// <summary>Bids counted more than once: a duplicate acknowledgement, two stored bids for one party and round, or an echo received twice.</summary>
    public required int DuplicatedBids { get; init; }

    /// <summary>Bids the server refused (e.g. rate limited, round already closed): not lost, never acknowledged.</summary>
    public required int RefusedBids { get; init; }

    /// <summary>Sessions that reached agreement (echo: 0).</summary>
    public required int Agreed { get; init; }

    /// <summary>The server's VmRSS growth from before connecting to all connections up, KiB; null when not measured.</summary>
    public long? ServerMemoryGrowthKilobytes { get; init; }

    /// <summary><see cref="ServerMemoryGrowthKilobytes"/> per connection.</summary>
    public double? KilobytesPerConnection => ServerMemoryGrowthKilobytes is { } growth && Connections > 0 ? growth / (double)Connections : null;

    /// <summary>The server's CPU time (user + system) while the bots bid, seconds; null when not measured.</summary>
    public double? ServerCpuSeconds { get; init; }

    /// <summary>
    /// <see cref="ServerCpuSeconds"/> per acknowledged bid, ms: the server's whole cost of a bid,
    /// its share of opening and closing rounds and of broadcasting included.
    /// </summary>
    public double? CpuMillisecondsPerBid => ServerCpuSeconds is { } cpu && Bids > 0 ? cpu * 1000 / Bids : null;

    /// <summary>Bytes the server allocated (<c>GC.GetTotalAllocatedBytes</c>, read at <c>/api/diagnostics/runtime</c>) while the bots bid; null when not measured.</summary>
    public long? ServerAllocatedBytes { get; init; }

    /// <summary><see cref="ServerAllocatedBytes"/> per acknowledged bid, KB (1,000 bytes): a bid's share of everything the server allocated meanwhile.</summary>
    public double? KilobytesAllocatedPerBid => ServerAllocatedBytes is { } bytes && Bids > 0 ? bytes / 1000.0 / Bids : null;

    /// <summary>
    /// How long the server stood still in garbage collections while the bots bid, ms
    /// (<c>GC.GetTotalPauseDuration</c>, read at <c>/api/diagnostics/runtime</c>); null when not
    /// measured. A bid or broadcast under way during such a pause waits it out.
    /// </summary>
    public double? ServerGcPauseMilliseconds { get; init; }

    /// <summary>
    /// How long the server's JIT spent compiling while the bots bid, ms (<c>JitInfo.GetCompilationTime</c>,
    /// read at <c>/api/diagnostics/runtime</c>); null when not measured. Near zero when the run
    /// waited for the JIT to go quiet (<see cref="LoadOptions.JitQuiet"/>) and the warm-up ran the bidding's code.
    /// </summary>
    public double? ServerJitMilliseconds { get; init; }

    /// <summary>
    /// How long the driver itself stood still in garbage collections while the bots bid, ms
    /// (<c>GC.GetTotalPauseDuration</c>); null when not measured. A broadcast that arrives during
    /// such a pause is timed late by it, so the latency percentiles include the driver's pauses
    /// as well as the server's.
    /// </summary>
    public double? DriverGcPauseMilliseconds { get; init; }

    /// <summary>One row of the Markdown table under <see cref="MarkdownHeader"/>.</summary>
    public string MarkdownRow() => string.Create(CultureInfo.InvariantCulture,
        $"| {Hub} | {Sessions} × {Parties} | {Connections} | {Rounds} | {Bids} | {BidsPerSecond:F0} | {P50:F1} | {P95:F1} | {P99:F1} | {LostBids} | {DuplicatedBids} | {RefusedBids} | {Agreed}/{(Hub == "echo" ? 0 : Sessions)} | " +
        $"{(ServerMemoryGrowthKilobytes is { } g ? $"{g / 1024.0:F1} MiB" : "n/a")} | {(KilobytesPerConnection is { } k ? k.ToString("F1", CultureInfo.InvariantCulture) : "n/a")} | " +
        $"{(CpuMillisecondsPerBid is { } c ? c.ToString("F2", CultureInfo.InvariantCulture) : "n/a")} | " +
        $"{(KilobytesAllocatedPerBid is { } a ? a.ToString("F1", CultureInfo.InvariantCulture) : "n/a")} | " +
        $"{(ServerGcPauseMilliseconds is { } serverPause ? serverPause.ToString("F0", CultureInfo.InvariantCulture) : "n/a")} | " +
        $"{(ServerJitMilliseconds is { } jit ? jit.ToString("F0", CultureInfo.InvariantCulture) : "n/a")} | " +
        $"{(DriverGcPauseMilliseconds is { } pause ? pause.ToString("F0", CultureInfo.InvariantCulture) : "n/a")} |");

    /// <summary>The q-quantile (0 … 1) of samples by the nearest-rank method; 0 when there are none.</summary>
    public static double Percentile(IReadOnlyList<double> samples, double q)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return 0;
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

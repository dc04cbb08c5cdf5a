using System.Globalization;
using System.Text;

namespace NegotiationHub.Bots.Load;

/// <summary>
/// The negotiation hub read against the echo floor pair by pair: runs made one after the other on
/// one server (<see cref="LoadDriver.RunPairsAsync"/>), a negotiation run and then an echo run in
/// each pair, give one ratio per pair, and the median of those ratios is the figure that one pair's
/// run-to-run swing does not move.
/// </summary>
public static class LoadPairs
{
    /// <summary>The header (and separator) of <see cref="Markdown"/>'s table.</summary>
    public const string MarkdownHeader =
        "| pair | server CPU ms/bid, hub (echo) | CPU, hub ÷ echo | p99 ms, hub (echo) | p99, hub ÷ echo |\n" +
        "|---|---|---|---|---|";

    /// <summary>Each pair's server CPU per bid and p99 of the hub over the echo's (null where the echo's figure is missing or 0).</summary>
    /// <param name="reports">Negotiation, echo, negotiation, echo, …: an even number, in that order.</param>
    /// <exception cref="ArgumentException">The reports are not negotiation/echo pairs.</exception>
    public static IReadOnlyList<PairRatio> Ratios(IReadOnlyList<LoadReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0 || reports.Count % 2 != 0)
        {
            throw new ArgumentException($"Expected negotiation/echo pairs, got {reports.Count} reports.", nameof(reports));
        }

        var ratios = new List<PairRatio>(reports.Count / 2);
        for (var i = 0; i < reports.Count; i += 2)
        {
            var (hub, echo) = (reports[i], reports[i + 1]);
            if (hub.Hub != "negotiation" || echo.Hub != "echo")
            {
                throw new ArgumentException($"Pair {i / 2 + 1} is {hub.Hub}/{echo.Hub}, not negotiation/echo.", nameof(reports));
            }

            ratios.Add(new PairRatio(hub, echo, Over(hub.CpuMillisecondsPerBid, echo.CpuMillisecondsPerBid), Over(hub.P99, echo.P99)));
        }

        return ratios;
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count); null when there are none.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? null
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>A Markdown table: one row per pair with its ratios, and the medians of the ratios.</summary>
    public static string Markdown(IReadOnlyList<LoadReport> reports)
    {
        var ratios = Ratios(reports);
        var table = new StringBuilder(MarkdownHeader).Append('\n');
        for (var i = 0; i < ratios.Count; i++)
        {
            var r = ratios[i];
            table.Append(CultureInfo.InvariantCulture, $"| {i + 1} | {Number(r.Hub.CpuMillisecondsPerBid)} ({Number(r.Echo.CpuMillisecondsPerBid)}) | {Times(r.Cpu)} | ")
                .Append(CultureInfo.InvariantCulture, $"{r.Hub.P99:F1} ({r.Echo.P99:F1}) | {Times(r.P99)} |\n");
        }

        table.Append(CultureInfo.InvariantCulture,
            $"| median of {ratios.Count} | | {Times(Median(ratios.Select(r => r.Cpu).OfType<double>()))} | | {Times(Median(ratios.Select(r => r.P99).OfType<double>()))} |");
        return table.ToString();
    }

    private static double? Over(double? hub, double? echo) => hub is { } h && echo is { } e && e > 0 ? h / e : null;

    private static string Number(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "n/a";

    private static string Times(double? ratio) => ratio is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) + "×" : "n/a";
}

/// <summary>One negotiation/echo pair and the hub's figures over the echo's.</summary>
/// <param name="Hub">The negotiation run.</param>
/// <param name="Echo">The echo run right after it.</param>
/// <param name="Cpu">Server CPU per bid, hub ÷ echo; null when not measured.</param>
/// <param name="P99">p99 latency, hub ÷ echo; null when the echo's is 0.</param>
public sealed record PairRatio(LoadReport Hub, LoadReport Echo, double? Cpu, double? P99);

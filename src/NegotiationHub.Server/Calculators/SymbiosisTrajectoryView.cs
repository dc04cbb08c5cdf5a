using NegotiationHub.Bargaining.Symbiosis;

namespace NegotiationHub.Server.Calculators;

/// <summary>The integrated sizes, as one series per member over a shared time axis.</summary>
/// <param name="Status">completed, blewUp, nonFinite, stepLimitReached or stepSizeTooSmall; the series stop at the last time reached.</param>
/// <param name="Times">The output times reached, from 0.</param>
/// <param name="Values">Values[i][t] = Q_i at Times[t].</param>
/// <param name="StoppedAt">The time the integration reached (T when completed).</param>
/// <param name="Steps">Integration steps attempted.</param>
public sealed record SymbiosisTrajectoryView(
    TrajectoryStatus Status,
    IReadOnlyList<double> Times,
    IReadOnlyList<IReadOnlyList<double>> Values,
    double StoppedAt,
    int Steps)
{
    /// <summary>Transposes a library trajectory into per-member series.</summary>
    public static SymbiosisTrajectoryView From(SymbiosisTrajectory trajectory, int memberCount)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        var points = trajectory.Points;
        var values = new IReadOnlyList<double>[memberCount];
        for (var i = 0; i < memberCount; i++)
        {
            var series = new double[points.Count];
            for (var t = 0; t < points.Count; t++)
            {
                series[t] = points[t].Sizes[i];
            }

            values[i] = series;
        }

        return new(trajectory.Status, points.Select(p => p.Time).ToArray(), values, trajectory.StoppedAt, trajectory.Steps);
    }
}

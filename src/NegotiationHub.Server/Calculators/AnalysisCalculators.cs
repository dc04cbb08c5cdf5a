using NegotiationHub.Bargaining.Spillover;
using NegotiationHub.Bargaining.Symbiosis;

namespace NegotiationHub.Server.Calculators;

/// <summary>The calculators of MODEL §8–9.</summary>
public static class AnalysisCalculators
{
    /// <summary>MODEL §8: the three cooperation regimes, and the β sweep when <c>betaPoints</c> is given.</summary>
    public static SpilloverResponse Spillover(SpilloverRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.ToInput();
        var result = SpilloverAnalysis.Analyze(input);
        SpilloverSweepView? sweep = null;
        if (request.BetaPoints is { } betaPoints)
        {
            var points = SpilloverAnalysis.Sweep(input, betaPoints);
            sweep = new(
                points.Select(p => p.Beta).ToArray(),
                points.Select(p => p.NoCooperation).ToArray(),
                points.Select(p => p.RndCooperation).ToArray(),
                points.Select(p => p.FullCooperation).ToArray());
        }

        return new(
            result.Theta,
            result.Phi,
            result.RndCooperationThreshold,
            result.FullCooperationThreshold,
            [SpilloverRegimeView.From(result.NoCooperation), SpilloverRegimeView.From(result.RndCooperation), SpilloverRegimeView.From(result.FullCooperation)],
            sweep);
    }

    /// <summary>MODEL §9: equilibrium and stability, pairwise relations and the trajectory.</summary>
    public static SymbiosisResponse Symbiosis(SymbiosisRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.ToInput();
        return new(
            SymbiosisEquilibriumView.From(LogisticSymbiosis.FindEquilibrium(input)),
            LogisticSymbiosis.Classify(input),
            SymbiosisTrajectoryView.From(LogisticSymbiosis.Integrate(input), input.MemberCount));
    }
}

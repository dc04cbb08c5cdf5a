using NegotiationHub.Bargaining.Nash;

namespace NegotiationHub.Server.Calculators;

/// <summary>The NBS with the powers it used.</summary>
public sealed record NashResponse(IReadOnlyList<double> Powers, NashBargainingSolution Solution)
{
    /// <summary>Builds the response from a validated problem.</summary>
    public static NashResponse Solve(NashBargainingProblem problem) => new(problem.Powers, NashBargainingSolver.Solve(problem));
}

using NegotiationHub.Bargaining.Symbiosis;

namespace NegotiationHub.Server.Calculators;

/// <summary>MODEL §9 output.</summary>
/// <param name="Equilibrium">The interior equilibrium and its stability.</param>
/// <param name="Relations">One entry per pair i &lt; j (0-based), row-major.</param>
/// <param name="Trajectory">Q(t) for plotting.</param>
public sealed record SymbiosisResponse(
    SymbiosisEquilibriumView Equilibrium,
    IReadOnlyList<MemberRelation> Relations,
    SymbiosisTrajectoryView Trajectory);

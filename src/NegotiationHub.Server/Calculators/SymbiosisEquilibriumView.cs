using NegotiationHub.Bargaining.Symbiosis;

namespace NegotiationHub.Server.Calculators;

/// <summary>The interior equilibrium Q* (y = Q*/N solves (I − Δ)y = 1) and its local stability.</summary>
/// <param name="Status">positive, notPositive (some Q_i* ≤ 0), singular (I − Δ singular) or notRepresentable (overflow); the lists are null for the last two.</param>
/// <param name="Relative">y_i = Q_i*/N_i.</param>
/// <param name="Sizes">Q_i*.</param>
/// <param name="Jacobian">J at Q*, row i = member i.</param>
/// <param name="Eigenvalues">The eigenvalues of J, real parts descending.</param>
/// <param name="Stable">True iff the status is positive and every eigenvalue has a negative real part.</param>
public sealed record SymbiosisEquilibriumView(
    EquilibriumStatus Status,
    IReadOnlyList<double>? Relative,
    IReadOnlyList<double>? Sizes,
    IReadOnlyList<IReadOnlyList<double>>? Jacobian,
    IReadOnlyList<EigenvalueView>? Eigenvalues,
    bool Stable)
{
    /// <summary>No equilibrium can be computed in doubles (inputs of extreme magnitude).</summary>
    public static SymbiosisEquilibriumView NotRepresentable { get; } = new(EquilibriumStatus.NotRepresentable, null, null, null, null, Stable: false);

    /// <summary>Maps a library result; eigenvalues that are not finite (possible for extreme inputs) make it notRepresentable.</summary>
    public static SymbiosisEquilibriumView From(SymbiosisEquilibrium equilibrium)
    {
        ArgumentNullException.ThrowIfNull(equilibrium);
        if (equilibrium.Eigenvalues?.All(e => double.IsFinite(e.Real) && double.IsFinite(e.Imaginary)) == false)
        {
            return NotRepresentable;
        }

        return new(
            equilibrium.Status,
            equilibrium.Relative,
            equilibrium.Sizes,
            equilibrium.Jacobian,
            equilibrium.Eigenvalues?.Select(e => new EigenvalueView(e.Real, e.Imaginary)).ToArray(),
            equilibrium.IsStable);
    }
}

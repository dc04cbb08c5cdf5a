namespace NegotiationHub.Bargaining.Symbiosis;

/// <summary>
/// The relation between two members by the signs of δ_ij (effect of j on i) and δ_ji (effect of
/// i on j) (MODEL §9). "Benefits" means δ &gt; 0, "harmed" δ &lt; 0, "unaffected" δ = 0 exactly.
/// </summary>
public enum SymbioticRelation
{
    /// <summary>Both unaffected (δ_ij = δ_ji = 0).</summary>
    Neutralism,

    /// <summary>One benefits, the other is unaffected (one δ &gt; 0, the other = 0).</summary>
    Commensalism,

    /// <summary>One is harmed, the other is unaffected (one δ &lt; 0, the other = 0).</summary>
    Amensalism,

    /// <summary>Both are harmed (both δ &lt; 0).</summary>
    Competition,

    /// <summary>One benefits at the other's expense (one δ &gt; 0, the other &lt; 0).</summary>
    Parasitism,

    /// <summary>Both benefit (both δ &gt; 0).</summary>
    Mutualism,
}

/// <summary>The relation of one pair of members, i &lt; j (indices are 0-based, as in the input lists).</summary>
/// <param name="First">i.</param>
/// <param name="Second">j.</param>
/// <param name="EffectOnFirst">δ_ij: the effect of j on i.</param>
/// <param name="EffectOnSecond">δ_ji: the effect of i on j.</param>
/// <param name="Relation">The classification by the two signs.</param>
public sealed record MemberRelation(int First, int Second, double EffectOnFirst, double EffectOnSecond, SymbioticRelation Relation);

/// <summary>Whether the interior equilibrium exists and is positive.</summary>
public enum EquilibriumStatus
{
    /// <summary>(I − Δ)y = 1 has a unique solution and every Q_i* &gt; 0.</summary>
    Positive,

    /// <summary>The solution exists but some Q_i* ≤ 0: no interior equilibrium; the alliance cannot settle with every member present.</summary>
    NotPositive,

    /// <summary>I − Δ is singular (or numerically so, condition number above <see cref="LogisticSymbiosis.SingularConditionNumber"/>): no isolated interior equilibrium.</summary>
    Singular,

    /// <summary>The equilibrium or its Jacobian overflows a double (inputs of extreme magnitude).</summary>
    NotRepresentable,
}

/// <summary>A complex eigenvalue.</summary>
/// <param name="Real">Real part: its sign decides growth (&gt; 0) or decay (&lt; 0) of a perturbation.</param>
/// <param name="Imaginary">Imaginary part: non-zero means oscillation.</param>
public sealed record Eigenvalue(double Real, double Imaginary);

/// <summary>The interior equilibrium and its local stability (MODEL §9).</summary>
/// <param name="Status">Whether the equilibrium exists and is positive. The lists below are null when it is
/// <see cref="EquilibriumStatus.Singular"/> or <see cref="EquilibriumStatus.NotRepresentable"/>.</param>
/// <param name="Relative">y_i = Q_i*/N_i, the solution of (I − Δ)y = 1.</param>
/// <param name="Sizes">Q_i* = N_i y_i.</param>
/// <param name="Jacobian">J at Q*: J_ii = −k_i Q_i*/N_i, J_ij = k_i Q_i* δ_ij/N_j (row i, column j).</param>
/// <param name="Eigenvalues">The eigenvalues of J, real parts descending.</param>
/// <param name="IsStable">True iff the status is <see cref="EquilibriumStatus.Positive"/> and every eigenvalue has a negative real part.</param>
public sealed record SymbiosisEquilibrium(
    EquilibriumStatus Status,
    IReadOnlyList<double>? Relative,
    IReadOnlyList<double>? Sizes,
    IReadOnlyList<IReadOnlyList<double>>? Jacobian,
    IReadOnlyList<Eigenvalue>? Eigenvalues,
    bool IsStable);

/// <summary>How the integration ended.</summary>
public enum TrajectoryStatus
{
    /// <summary>Every output time up to T was reached.</summary>
    Completed,

    /// <summary>Some Q_i exceeded <see cref="LogisticSymbiosis.BlowUpFactor"/> × max(N_i, Q_i(0)) (e.g. mutualism with δ_ijδ_ji &gt; 1 grows without bound).</summary>
    BlewUp,

    /// <summary>The growth rates evaluated to a non-finite number (inputs of extreme magnitude).</summary>
    NonFinite,

    /// <summary>The step budget <see cref="LogisticSymbiosis.MaxSteps"/> ran out (very large k·T).</summary>
    StepLimitReached,

    /// <summary>The step size shrank to the floating-point resolution of t without meeting the tolerance.</summary>
    StepSizeTooSmall,
}

/// <summary>The sizes of all members at one output time.</summary>
/// <param name="Time">t.</param>
/// <param name="Sizes">Q_i(t), one per member.</param>
public sealed record TrajectoryPoint(double Time, IReadOnlyList<double> Sizes);

/// <summary>The solution of the ODE at evenly spaced times.</summary>
/// <param name="Status">How the integration ended.</param>
/// <param name="Points">The output times reached, from t = 0; all of them when <see cref="TrajectoryStatus.Completed"/>, else those before the stop.</param>
/// <param name="StoppedAt">The time the integration reached (T when completed).</param>
/// <param name="Steps">Integration steps attempted (accepted and rejected).</param>
public sealed record SymbiosisTrajectory(TrajectoryStatus Status, IReadOnlyList<TrajectoryPoint> Points, double StoppedAt, int Steps);

/// <summary>The full §9 analysis: equilibrium and stability, pairwise relations, trajectory.</summary>
/// <param name="Equilibrium">The interior equilibrium and its stability.</param>
/// <param name="Relations">One entry per pair i &lt; j, in row-major order.</param>
/// <param name="Trajectory">The integrated sizes over [0, T].</param>
public sealed record SymbiosisResult(SymbiosisEquilibrium Equilibrium, IReadOnlyList<MemberRelation> Relations, SymbiosisTrajectory Trajectory);

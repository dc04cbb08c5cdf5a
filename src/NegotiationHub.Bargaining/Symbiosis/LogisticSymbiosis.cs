using MathNet.Numerics.LinearAlgebra;

namespace NegotiationHub.Bargaining.Symbiosis;

/// <summary>
/// Alliance stability under logistic symbiosis (MODEL §9, seed 004):
/// <c>dQ_i/dt = k_i Q_i (1 − Q_i/N_i + Σ_{j≠i} δ_ij Q_j/N_j)</c>. Finds the interior equilibrium
/// and its stability, classifies each pair of members, and integrates the ODE for plotting.
/// </summary>
/// <remarks>
/// <para>Equilibrium: with y = Q/N the bracket vanishes for every i iff y_i − Σ_j δ_ij y_j = 1,
/// i.e. (I − Δ)y = 1. For n = 2 this gives Q₁* = N₁(1+δ₁₂)/(1−δ₁₂δ₂₁), Q₂* = N₂(1+δ₂₁)/(1−δ₁₂δ₂₁).</para>
/// <para>Jacobian: f_i = k_i Q_i g_i with g_i = 1 − Q_i/N_i + Σ_{j≠i} δ_ij Q_j/N_j, so
/// ∂f_i/∂Q_j = k_i g_i [i = j] + k_i Q_i ∂g_i/∂Q_j. At the equilibrium g_i = 0, leaving
/// J_ii = −k_i Q_i*/N_i and J_ij = k_i Q_i* δ_ij/N_j. Equivalently J = diag(kQ*)(Δ − I)diag(1/N),
/// similar to diag(k∘y)(Δ − I); for n = 2 its trace is −(k₁y₁ + k₂y₂) and its determinant
/// k₁y₁k₂y₂(1 − δ₁₂δ₂₁), so a positive equilibrium is stable iff δ₁₂δ₂₁ &lt; 1.</para>
/// </remarks>
public static class LogisticSymbiosis
{
    /// <summary>I − Δ counts as singular when its 2-norm condition number exceeds this: y would carry no reliable digit.</summary>
    public const double SingularConditionNumber = 1e12;

    /// <summary>Relative tolerance of the adaptive integrator.</summary>
    public const double RelativeTolerance = 1e-8;

    /// <summary>Absolute tolerance of member i is this times max(N_i, Q_i(0)), so it scales with the member's size.</summary>
    public const double AbsoluteToleranceFactor = 1e-10;

    /// <summary>Integration stops as blown up when some Q_i exceeds this times max(N_i, Q_i(0)).</summary>
    public const double BlowUpFactor = 1e12;

    /// <summary>Most integration steps (accepted and rejected) per trajectory; bounds one request's work.</summary>
    public const int MaxSteps = 200_000;

    /// <summary>Equilibrium, stability, pairwise relations and trajectory in one call.</summary>
    /// <param name="input">A validated alliance.</param>
    public static SymbiosisResult Analyze(SymbiosisInput input) =>
        new(FindEquilibrium(input), Classify(input), Integrate(input));

    /// <summary>The interior equilibrium Q* = N∘y with (I − Δ)y = 1, its Jacobian, eigenvalues and stability.</summary>
    /// <param name="input">A validated alliance (only k, N and δ are used).</param>
    /// <returns>The equilibrium; a singular or non-positive one is reported in <see cref="SymbiosisEquilibrium.Status"/>, never thrown.</returns>
    public static SymbiosisEquilibrium FindEquilibrium(SymbiosisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // MathNet 5.0's managed SVD (behind the condition number) squares entries: past √(double.MaxValue)
        // it throws, or for some matrices loops forever. Such inputs are not representable, not a hang.
        if (input.Delta.Any(row => row.Any(d => Math.Abs(d) > MaxSolvableEffect)))
        {
            return NotRepresentable;
        }

        try
        {
            return SolveEquilibrium(input);
        }
        catch (Exception exception) when (exception is MathNet.Numerics.NonConvergenceException or IndexOutOfRangeException)
        {
            // decompositions of matrices whose entries' squares overflow or underflow (e.g. k_i ≈ 1e-200)
            return NotRepresentable;
        }
    }

    /// <summary>
    /// Largest |δ_ij| handed to the linear-algebra routines; up to 1e150 no hang was seen in thousands
    /// of random matrices with entries down to 1e-320.
    /// </summary>
    public const double MaxSolvableEffect = 1e150;

    private static readonly SymbiosisEquilibrium NotRepresentable = new(EquilibriumStatus.NotRepresentable, null, null, null, null, IsStable: false);

    private static SymbiosisEquilibrium SolveEquilibrium(SymbiosisInput input)
    {
        var n = input.MemberCount;
        var (k, capacity, delta) = (input.GrowthRates, input.Capacities, input.Delta);
        var iMinusDelta = Matrix<double>.Build.Dense(n, n, (i, j) => i == j ? 1 : -delta[i][j]);
        if (!(iMinusDelta.ConditionNumber() <= SingularConditionNumber))
        {
            return new SymbiosisEquilibrium(EquilibriumStatus.Singular, null, null, null, null, IsStable: false);
        }

        var y = iMinusDelta.Solve(Vector<double>.Build.Dense(n, 1.0)).ToArray();
        var q = y.Select((yi, i) => capacity[i] * yi).ToArray();
        var jacobian = new double[n][];
        for (var i = 0; i < n; i++)
        {
            jacobian[i] = new double[n];
            for (var j = 0; j < n; j++)
            {
                jacobian[i][j] = i == j ? -k[i] * q[i] / capacity[i] : k[i] * q[i] * delta[i][j] / capacity[j];
            }
        }

        if (!y.All(double.IsFinite) || !q.All(double.IsFinite) || !jacobian.All(row => row.All(double.IsFinite)))
        {
            return new SymbiosisEquilibrium(EquilibriumStatus.NotRepresentable, null, null, null, null, IsStable: false);
        }

        var eigenvalues = Matrix<double>.Build.DenseOfRowArrays(jacobian).Evd().EigenValues
            .Select(e => new Eigenvalue(e.Real, e.Imaginary))
            .OrderByDescending(e => e.Real)
            .ThenByDescending(e => e.Imaginary)
            .ToArray();
        var status = q.All(v => v > 0) ? EquilibriumStatus.Positive : EquilibriumStatus.NotPositive;

        // A zero real part (marginal stability) needs det(I − Δ) = 0, already caught as singular, or an exact
        // imaginary pair; the strict test below calls both not stable.
        var stable = status == EquilibriumStatus.Positive && eigenvalues.All(e => e.Real < 0);
        return new SymbiosisEquilibrium(
            status,
            Array.AsReadOnly(y),
            Array.AsReadOnly(q),
            Array.AsReadOnly(Array.ConvertAll(jacobian, row => (IReadOnlyList<double>)Array.AsReadOnly(row))),
            Array.AsReadOnly(eigenvalues),
            stable);
    }

    /// <summary>The relation of every pair i &lt; j, in row-major order.</summary>
    /// <param name="input">A validated alliance (only δ is used).</param>
    public static IReadOnlyList<MemberRelation> Classify(SymbiosisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var relations = new List<MemberRelation>();
        for (var i = 0; i < input.MemberCount; i++)
        {
            for (var j = i + 1; j < input.MemberCount; j++)
            {
                var (dij, dji) = (input.Delta[i][j], input.Delta[j][i]);
                relations.Add(new MemberRelation(i, j, dij, dji, Classify(dij, dji)));
            }
        }

        return relations.AsReadOnly();
    }

    /// <summary>Classifies one pair by the signs of its two effects (symmetric in its arguments).</summary>
    /// <param name="effectOnFirst">δ_ij, the effect of j on i.</param>
    /// <param name="effectOnSecond">δ_ji, the effect of i on j.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is NaN.</exception>
    public static SymbioticRelation Classify(double effectOnFirst, double effectOnSecond)
    {
        if (double.IsNaN(effectOnFirst) || double.IsNaN(effectOnSecond))
        {
            throw new ArgumentOutOfRangeException(double.IsNaN(effectOnFirst) ? nameof(effectOnFirst) : nameof(effectOnSecond), "An effect δ must be a number.");
        }

        return (Math.Sign(effectOnFirst), Math.Sign(effectOnSecond)) switch
        {
            (0, 0) => SymbioticRelation.Neutralism,
            (1, 1) => SymbioticRelation.Mutualism,
            (-1, -1) => SymbioticRelation.Competition,
            (1, 0) or (0, 1) => SymbioticRelation.Commensalism,
            (-1, 0) or (0, -1) => SymbioticRelation.Amensalism,
            _ => SymbioticRelation.Parasitism, // (1, −1) or (−1, 1)
        };
    }

    /// <summary>
    /// Integrates the ODE from Q(0) over [0, T] with adaptive Dormand–Prince 5(4) (relative
    /// tolerance <see cref="RelativeTolerance"/>) and returns Q at the evenly spaced output times.
    /// Stops early with a status instead of throwing when the solution blows up or the work bound is hit.
    /// </summary>
    /// <param name="input">A validated alliance.</param>
    public static SymbiosisTrajectory Integrate(SymbiosisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var n = input.MemberCount;
        var k = input.GrowthRates.ToArray();
        var capacity = input.Capacities.ToArray();

        // Row-major M with M_ii = −1/N_i and M_ij = δ_ij/N_j, so the bracket is 1 + (MQ)_i: one pass per rate.
        var m = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                m[(i * n) + j] = i == j ? -1 / capacity[i] : input.Delta[i][j] / capacity[j];
            }
        }

        void Rate(double t, double[] q, double[] dq)
        {
            for (var i = 0; i < n; i++)
            {
                var bracket = 1.0;
                var row = i * n;
                for (var j = 0; j < n; j++)
                {
                    bracket += m[row + j] * q[j];
                }

                dq[i] = k[i] * q[i] * bracket;
            }
        }

        var scale = input.Initial.Select((q0, i) => Math.Max(q0, capacity[i])).ToArray();
        var solver = new DormandPrince45(Rate, n)
        {
            RelativeTolerance = RelativeTolerance,
            AbsoluteTolerance = scale.Select(s => AbsoluteToleranceFactor * s).ToArray(),
            Bound = scale.Select(s => BlowUpFactor * s).ToArray(),
            MaxSteps = MaxSteps,
        };
        var last = input.Points - 1;
        var times = Enumerable.Range(0, input.Points).Select(p => p == last ? input.Horizon : input.Horizon * ((double)p / last)).ToArray();
        var (status, points, stoppedAt, steps) = solver.Integrate([.. input.Initial], times);
        return new SymbiosisTrajectory(status, points.AsReadOnly(), stoppedAt, steps);
    }
}

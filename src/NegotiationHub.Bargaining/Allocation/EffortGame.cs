using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Allocation;

/// <summary>
/// The two-stage effort game of MODEL §7(a): party i's contribution coefficient <c>d_i</c>, cost
/// coefficient <c>b_i</c>, fixed cost <c>C0_i</c>, and the common base output <c>P0</c>.
/// Validated on construction.
/// </summary>
public sealed class EffortGameInput
{
    private readonly double[] _contributions;
    private readonly double[] _costCoefficients;
    private readonly double[] _fixedCosts;
    private readonly double[] _weights;

    /// <summary>Creates and validates the input.</summary>
    /// <param name="contributions">d_i &gt; 0, one per party, n = 2..<see cref="ModelLimits.MaxParties"/>.</param>
    /// <param name="costCoefficients">b_i &gt; 0, one per party, with <c>w_i = d_i²/b_i &lt; 1</c> (MODEL §7a: otherwise efforts grow without bound).</param>
    /// <param name="fixedCosts">C0_i in [0, <see cref="AllocationLimits.MaxAmount"/>], one per party; null means all 0.</param>
    /// <param name="baseOutput">P0 in [0, <see cref="AllocationLimits.MaxAmount"/>].</param>
    /// <exception cref="ModelValidationException">
    /// Fields <c>contributions</c>, <c>contributions[i]</c>, <c>costCoefficients</c>,
    /// <c>costCoefficients[i]</c> (also when <c>w_i ≥ 1</c>), <c>fixedCosts</c>, <c>fixedCosts[i]</c>,
    /// <c>baseOutput</c>.
    /// </exception>
    public EffortGameInput(
        IReadOnlyList<double>? contributions,
        IReadOnlyList<double>? costCoefficients,
        IReadOnlyList<double>? fixedCosts = null,
        double baseOutput = 0)
    {
        var d = Guard.AllPositive(Guard.Count(contributions, "contributions", ModelLimits.MinParties, ModelLimits.MaxParties), "contributions");
        var n = d.Length;
        var b = Guard.AllPositive(Guard.Length(costCoefficients, "costCoefficients", n, "party"), "costCoefficients");
        var c0 = fixedCosts is null ? new double[n] : Guard.Length(fixedCosts, "fixedCosts", n, "party");
        for (var i = 0; i < n; i++)
        {
            Guard.InRange(c0[i], $"fixedCosts[{i}]", 0, AllocationLimits.MaxAmount);
        }

        BaseOutput = Guard.InRange(baseOutput, "baseOutput", 0, AllocationLimits.MaxAmount);

        var w = new double[n];
        Slack = new double[n];
        Rho = new double[n];
        for (var i = 0; i < n; i++)
        {
            var dd = d[i] * d[i];
            if (!(dd < b[i]))
            {
                throw new ModelValidationException(
                    $"costCoefficients[{i}]",
                    $"must exceed contributions[{i}]² = {Guard.Format(dd)}: the model needs w_i = d_i²/b_i < 1, here w_i = {Guard.Format(dd / b[i])}");
            }

            // b − d² by a fused multiply-add: exact up to one rounding, so 1 − w_i keeps its digits when w_i is close to 1.
            var gap = Math.FusedMultiplyAdd(-d[i], d[i], b[i]);
            w[i] = dd / b[i];
            Slack[i] = gap / b[i];
            Rho[i] = gap / dd;
            if (!(w[i] > 0) || !double.IsFinite(Rho[i]))
            {
                throw new ModelValidationException(
                    $"contributions[{i}]",
                    $"is too small next to costCoefficients[{i}]: w_i = d_i²/b_i underflows to 0");
            }
        }

        _contributions = d;
        _costCoefficients = b;
        _fixedCosts = c0;
        _weights = w;
    }

    /// <summary>n, the number of parties.</summary>
    public int Parties => _contributions.Length;

    /// <summary>d_i, the contribution coefficients.</summary>
    public IReadOnlyList<double> Contributions => Array.AsReadOnly(_contributions);

    /// <summary>b_i, the cost coefficients.</summary>
    public IReadOnlyList<double> CostCoefficients => Array.AsReadOnly(_costCoefficients);

    /// <summary>C0_i, the fixed costs.</summary>
    public IReadOnlyList<double> FixedCosts => Array.AsReadOnly(_fixedCosts);

    /// <summary>P0, the base output.</summary>
    public double BaseOutput { get; }

    /// <summary>w_i = d_i²/b_i in (0, 1): how much output party i's effort buys relative to its cost.</summary>
    public IReadOnlyList<double> EffortWeights => Array.AsReadOnly(_weights);

    internal double[] D => _contributions;

    internal double[] B => _costCoefficients;

    internal double[] C0 => _fixedCosts;

    internal double[] W => _weights;

    /// <summary>1 − w_i, computed without cancellation.</summary>
    internal double[] Slack { get; }

    /// <summary>ρ_i = (1 − w_i)/w_i = b_i/d_i² − 1 &gt; 0: the lower, the more share party i should get.</summary>
    internal double[] Rho { get; }
}

/// <summary>The stage-2 (Nash equilibrium effort) outcome for given shares t (MODEL §7a).</summary>
/// <param name="Shares">t_i ≥ 0, Σ t_i = 1.</param>
/// <param name="Efforts">a_i = t_i d_i S / b_i: each party's equilibrium effort.</param>
/// <param name="EffortMultiplier">S = 1/(1 − Σ t_j w_j) ≥ 1.</param>
/// <param name="Output">P = Σ a_i d_i + (Σ a_i d_i)²/2 + P0.</param>
/// <param name="Costs">C_i = C0_i + b_i a_i²/2.</param>
/// <param name="Payoffs">V_i = t_i P − C_i.</param>
/// <param name="TotalValue">V = P − Σ C_i = Σ V_i.</param>
public sealed record EffortOutcome(
    IReadOnlyList<double> Shares,
    IReadOnlyList<double> Efforts,
    double EffortMultiplier,
    double Output,
    IReadOnlyList<double> Costs,
    IReadOnlyList<double> Payoffs,
    double TotalValue);

/// <summary>The stage-1 optimum: the shares that maximize total value V, with its optimality certificate.</summary>
/// <param name="Outcome">The stage-2 outcome at the optimal shares t*.</param>
/// <param name="Gradient">∂V/∂t_i at t* (every entry &gt; 0: a larger share always draws more effort).</param>
/// <param name="Multiplier">μ = Σ t_i ∂V/∂t_i, the multiplier of Σ t = 1.</param>
/// <param name="KktResiduals">
/// Per party: <c>|∂V/∂t_i − μ|</c> if t_i &gt; 0, <c>max(0, ∂V/∂t_i − μ)</c> if t_i = 0. All zero at an exact optimum.
/// </param>
/// <param name="RelativeKktResidual">max KKT residual / max ∂V/∂t_i: the certificate's quality — rounding only, typically ≈ 1e-15 and up to ≈ 1e-12 when some w_i is close to 1.</param>
public sealed record EffortOptimum(
    EffortOutcome Outcome,
    IReadOnlyList<double> Gradient,
    double Multiplier,
    IReadOnlyList<double> KktResiduals,
    double RelativeKktResidual);

/// <summary>
/// The two-stage effort game of MODEL §7(a): in stage 2 parties choose efforts given the shares
/// (Nash equilibrium); in stage 1 the shares are chosen to maximize total value V.
/// </summary>
public static class EffortGame
{
    /// <summary>Stage 2: equilibrium efforts, output, costs and payoffs for the given shares.</summary>
    /// <param name="input">The game.</param>
    /// <param name="shares">t_i ≥ 0, one per party, summing to 1 (within <see cref="Guard.SumTolerance"/>; rescaled to sum exactly 1).</param>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ModelValidationException">Fields <c>shares</c> (count or sum) or <c>shares[i]</c>.</exception>
    public static EffortOutcome Evaluate(EffortGameInput input, IReadOnlyList<double>? shares)
    {
        ArgumentNullException.ThrowIfNull(input);
        var t = Guard.SumsToOne(Guard.Length(shares, "shares", input.Parties, "party"), "shares");

        // Exactly 1 keeps Σ t_j w_j < 1 (so S stays finite) even when some w_j is close to 1.
        var sum = t.Sum();
        for (var i = 0; i < t.Length; i++)
        {
            t[i] /= sum;
        }

        return Outcome(input, t);
    }

    /// <summary>
    /// Stage 1: the shares t* that maximize V over the simplex, exactly, for any n (for n = 2 they
    /// are MODEL's closed form <c>t_i* ∝ w_i/(1 − w_i)</c>). Some t_i* may be 0.
    /// </summary>
    /// <remarks>
    /// With <c>W = Σ t_j w_j</c>, <c>Q = Σ t_j² w_j</c> and <c>S = 1/(1 − W)</c>, substituting the
    /// stage-2 efforts gives <c>V(t) = P0 − Σ C0 + S − 1 + S²(W² − Q)/2</c> and
    /// <c>∂V/∂t_i = w_i S² (S(1 − Q) − t_i)</c>. The KKT conditions on the simplex force
    /// <c>t_i = max(0, K − c/w_i)</c> with <c>K = S(1 − Q)</c>; eliminating K and c leaves
    /// <c>t_i* = max(0, 1 − ρ_i/θ)</c> with <c>ρ_i = (1 − w_i)/w_i</c> and θ the unique root of
    /// <c>Σ_i max(0, θ − ρ_i) = θ</c>. The maximum exists and satisfies KKT (linear constraints),
    /// and this is the only KKT point, so it is the global maximum. A party gets no share exactly
    /// when <c>ρ_i ≥ θ</c>. θ is found like a simplex projection: sort ρ, take the largest a with
    /// <c>(a − 1)·ρ_(a) &lt; Σ_{k≤a} ρ_(k)</c>, then <c>θ = Σ_{k≤a} ρ_(k) / (a − 1)</c>.
    /// The KKT residuals in the result are computed from the analytic gradient at t*, as an
    /// independent certificate.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    public static EffortOptimum Optimize(EffortGameInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var n = input.Parties;
        var rho = input.Rho;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (x, y) => rho[x].CompareTo(rho[y]));

        // F(a) = (a − 1)ρ_(a) − Σ_{k≤a} ρ_(k) is non-decreasing in a and F(2) = −ρ_(1) < 0:
        // the active parties are the prefix where F < 0. a = 2 is taken without testing F, which
        // would round to 0 when ρ_(1) is below the last digit of ρ_(2).
        var prefix = rho[order[0]] + rho[order[1]];
        var theta = prefix;
        for (var a = 3; a <= n; a++)
        {
            var next = rho[order[a - 1]];
            if ((a - 1) * next >= prefix + next)
            {
                break;
            }

            prefix += next;
            theta = prefix / (a - 1);
        }

        var t = new double[n];
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            t[i] = Math.Max(0, 1 - (rho[i] / theta));
            sum += t[i];
        }

        for (var i = 0; i < n; i++)
        {
            t[i] /= sum;
        }

        var outcome = Outcome(input, t);
        var gradient = Gradient(input, t);
        var mu = 0.0;
        for (var i = 0; i < n; i++)
        {
            mu += t[i] * gradient[i];
        }

        var residuals = new double[n];
        for (var i = 0; i < n; i++)
        {
            residuals[i] = t[i] > 0 ? Math.Abs(gradient[i] - mu) : Math.Max(0, gradient[i] - mu);
        }

        return new EffortOptimum(
            outcome,
            Array.AsReadOnly(gradient),
            mu,
            Array.AsReadOnly(residuals),
            residuals.Max() / gradient.Max());
    }

    /// <summary>∂V/∂t_i = w_i S² (S(1 − Q) − t_i) at shares t summing to 1 (see <see cref="Optimize"/>).</summary>
    internal static double[] Gradient(EffortGameInput input, double[] t)
    {
        var n = t.Length;
        var w = input.W;
        var slack = input.Slack;
        var oneMinusW = 0.0;
        var oneMinusQ = 0.0;
        for (var i = 0; i < n; i++)
        {
            oneMinusW += t[i] * slack[i];

            // 1 − Q = Σ t_i (1 − t_i) + Σ t_i² (1 − w_i): every term ≥ 0, no cancellation.
            oneMinusQ += (t[i] * (1 - t[i])) + (t[i] * t[i] * slack[i]);
        }

        var s = 1 / oneMinusW;
        var gradient = new double[n];
        for (var i = 0; i < n; i++)
        {
            gradient[i] = w[i] * s * s * ((s * oneMinusQ) - t[i]);
        }

        return gradient;
    }

    /// <summary>The stage-2 outcome; <paramref name="t"/> is owned by the result.</summary>
    private static EffortOutcome Outcome(EffortGameInput input, double[] t)
    {
        var n = t.Length;
        var d = input.D;
        var b = input.B;

        // 1 − Σ t_j w_j = Σ t_j (1 − w_j) because Σ t_j = 1.
        var oneMinusW = 0.0;
        for (var i = 0; i < n; i++)
        {
            oneMinusW += t[i] * input.Slack[i];
        }

        var s = 1 / oneMinusW;
        var efforts = new double[n];
        var costs = new double[n];
        var x = 0.0;
        for (var i = 0; i < n; i++)
        {
            // MODEL §7a stage 2: a_i = t_i d_i S / b_i.
            efforts[i] = t[i] * s * (d[i] / b[i]);
            x += efforts[i] * d[i];
            costs[i] = input.C0[i] + (b[i] * efforts[i] * efforts[i] / 2);
        }

        var output = x + (x * x / 2) + input.BaseOutput;
        var payoffs = new double[n];
        for (var i = 0; i < n; i++)
        {
            payoffs[i] = (t[i] * output) - costs[i];
        }

        return new EffortOutcome(
            Array.AsReadOnly(t),
            Array.AsReadOnly(efforts),
            s,
            output,
            Array.AsReadOnly(costs),
            Array.AsReadOnly(payoffs),
            output - costs.Sum());
    }
}

using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Rounds;

/// <summary>One party's figures in a round (MODEL §4).</summary>
/// <param name="Power">h_i.</param>
/// <param name="Demand">D_i.</param>
/// <param name="FearOfBreakdown">q_i(D_i).</param>
/// <param name="Ratio">ρ_i = q_i(D_i)/h_i.</param>
/// <param name="Target">k*_i, the party's NBS allocation.</param>
/// <param name="Projected">k̃_i, the demand projected onto the feasible set.</param>
/// <param name="NextDemand">D_i + λ(k*_i − D_i): the auto-concession step for the next round.</param>
public sealed record PartyRoundFigures(
    double Power,
    double Demand,
    double FearOfBreakdown,
    double Ratio,
    double Target,
    double Projected,
    double NextDemand);

/// <summary>The full analysis of one bargaining round (MODEL §4).</summary>
/// <param name="Parties">Per-party figures, in party order.</param>
/// <param name="Gap">g = ΣD − K; compatible when ≤ 0.</param>
/// <param name="Compatible">True when the demands fit in the pool: agreement.</param>
/// <param name="Agreement">When compatible, each party's D_i plus its h-proportional share of the surplus −g; otherwise null.</param>
/// <param name="MustConcede">When not compatible, the parties with the largest ρ (all tied ones); otherwise empty.</param>
/// <param name="Target">The NBS of the round's problem.</param>
/// <param name="Distance">Σ|D_i − k*_i| / K.</param>
/// <param name="NashEfficiency">NP(k̃)/NP(k*) ∈ [0, 1]; 1 exactly at the NBS.</param>
/// <param name="RatioSpread">(max ρ − min ρ)/mean ρ; 0 when every ρ is 0.</param>
/// <param name="Lambda">The auto-concession fraction used for <see cref="PartyRoundFigures.NextDemand"/>.</param>
public sealed record RoundAnalysis(
    IReadOnlyList<PartyRoundFigures> Parties,
    double Gap,
    bool Compatible,
    IReadOnlyList<double>? Agreement,
    IReadOnlyList<int> MustConcede,
    NashBargainingSolution Target,
    double Distance,
    double NashEfficiency,
    double RatioSpread,
    double Lambda);

/// <summary>Analyses a round of demands against the NBS (MODEL §4).</summary>
public static class RoundAnalyzer
{
    /// <summary>Validates the demands: one per party, each finite with d_i ≤ D_i ≤ K.</summary>
    /// <exception cref="ModelValidationException">A demand is missing, non-finite or out of range.</exception>
    public static double[] ValidateDemands(NashBargainingProblem problem, IReadOnlyList<double>? demands, string field = "demands")
    {
        ArgumentNullException.ThrowIfNull(problem);
        var values = Guard.Length(demands, field, problem.Parties, "party");
        for (var i = 0; i < values.Length; i++)
        {
            Guard.InRange(values[i], $"{field}[{i}]", problem.DisagreementAt(i), problem.Pool);
        }

        return values;
    }

    /// <summary>Analyses a round.</summary>
    /// <param name="problem">The round's bargaining problem (powers from the current strengths).</param>
    /// <param name="demands">D_i, one per party, d_i ≤ D_i ≤ K.</param>
    /// <param name="lambda">Auto-concession fraction λ ∈ (0, 1].</param>
    /// <param name="target">The NBS of <paramref name="problem"/> if already known; solved otherwise.</param>
    /// <exception cref="ModelValidationException">Invalid demands or λ.</exception>
    public static RoundAnalysis Analyze(
        NashBargainingProblem problem,
        IReadOnlyList<double> demands,
        double lambda = ConcessionRule.DefaultLambda,
        NashBargainingSolution? target = null)
    {
        var d = ValidateDemands(problem, demands);
        ConcessionRule.ValidateLambda(lambda);
        target ??= NashBargainingSolver.Solve(problem);

        var n = problem.Parties;
        var pool = problem.Pool;
        var q = new double[n];
        var ratios = new double[n];
        var demandSum = 0.0;
        var distance = 0.0;
        for (var i = 0; i < n; i++)
        {
            q[i] = problem.UtilityAt(i).FearOfBreakdown(d[i], problem.DisagreementAt(i));
            ratios[i] = q[i] / problem.PowerAt(i);
            demandSum += d[i];
            distance += Math.Abs(d[i] - target.Allocation[i]);
        }

        var gap = demandSum - pool;
        var compatible = gap <= 0;
        double[]? agreement = null;
        if (compatible)
        {
            agreement = new double[n];
            for (var i = 0; i < n; i++)
            {
                agreement[i] = d[i] - (gap * problem.PowerAt(i));
            }
        }

        var projected = Project(problem, d, demandSum);
        var efficiency = NashEfficiency(problem, projected, target);

        var parties = new PartyRoundFigures[n];
        for (var i = 0; i < n; i++)
        {
            parties[i] = new PartyRoundFigures(
                problem.PowerAt(i), d[i], q[i], ratios[i], target.Allocation[i], projected[i],
                ConcessionRule.AutoConcede(d[i], target.Allocation[i], lambda));
        }

        return new RoundAnalysis(
            parties,
            gap,
            compatible,
            agreement,
            compatible ? [] : ConcessionRule.MustConcede(ratios),
            target,
            distance / pool,
            efficiency,
            RatioSpread(ratios),
            lambda);
    }

    /// <summary>
    /// Projects demands onto the feasible set: <c>k̃_i = d_i + (D_i − d_i)(K − Σd)/(ΣD − Σd)</c>.
    /// When every party demands exactly its disagreement point (ΣD = Σd) the excess is split by h.
    /// </summary>
    public static double[] Project(NashBargainingProblem problem, IReadOnlyList<double> demands, double demandSum)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(demands);
        var n = problem.Parties;
        var surplus = problem.Pool - problem.DisagreementSum;
        var excess = demandSum - problem.DisagreementSum;
        var projected = new double[n];
        for (var i = 0; i < n; i++)
        {
            var di = problem.DisagreementAt(i);
            projected[i] = excess > 0
                ? di + ((demands[i] - di) * surplus / excess)
                : di + (problem.PowerAt(i) * surplus);
        }

        return projected;
    }

    /// <summary>NP(k̃)/NP(k*), clamped to [0, 1] against rounding (k* maximizes NP).</summary>
    public static double NashEfficiency(NashBargainingProblem problem, IReadOnlyList<double> allocation, NashBargainingSolution target)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(target);
        var log = problem.LogNashProduct(allocation);
        return double.IsNegativeInfinity(log) ? 0 : Math.Clamp(Math.Exp(log - target.LogNashProduct), 0, 1);
    }

    private static double RatioSpread(double[] ratios)
    {
        var max = ratios.Max();
        var min = ratios.Min();
        var mean = ratios.Average();
        return mean > 0 ? (max - min) / mean : 0;
    }
}

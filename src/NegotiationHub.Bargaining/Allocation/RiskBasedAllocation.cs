using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Allocation;

/// <summary>
/// The inputs of the risk-based share, MODEL §7(c): per party i and stage j, the market,
/// technical and cooperation risks (each usually an AHP-weighted score of its indicators, see
/// <see cref="Ahp.IndicatorTemplates.Risks"/>). Validated on construction.
/// </summary>
/// <remarks>
/// Each table is indexed <c>[party][stage]</c>: n = 2..<see cref="ModelLimits.MaxParties"/>
/// parties, m = 1..<see cref="ModelLimits.MaxStages"/> stages, all three tables the same shape.
/// </remarks>
public sealed class RiskBasedAllocationInput
{
    /// <summary>Creates and validates the input.</summary>
    /// <param name="marketRisks">Ra_ij in [0, 1).</param>
    /// <param name="technicalRisks">Rb_ij in [0, 1), same shape.</param>
    /// <param name="cooperationRisks">Rc_ij in [0, 1), same shape.</param>
    /// <exception cref="ModelValidationException">
    /// Fields <c>marketRisks</c>, <c>marketRisks[i]</c>, <c>marketRisks[i][j]</c>, and the same paths
    /// under <c>technicalRisks</c> and <c>cooperationRisks</c>.
    /// </exception>
    public RiskBasedAllocationInput(
        IReadOnlyList<IReadOnlyList<double>>? marketRisks,
        IReadOnlyList<IReadOnlyList<double>>? technicalRisks,
        IReadOnlyList<IReadOnlyList<double>>? cooperationRisks)
    {
        MarketRisks = Table(marketRisks, "marketRisks", null);
        TechnicalRisks = Table(technicalRisks, "technicalRisks", MarketRisks);
        CooperationRisks = Table(cooperationRisks, "cooperationRisks", MarketRisks);
    }

    /// <summary>n, the number of parties.</summary>
    public int Parties => MarketRisks.Length;

    /// <summary>m, the number of stages.</summary>
    public int Stages => MarketRisks[0].Length;

    internal double[][] MarketRisks { get; }

    internal double[][] TechnicalRisks { get; }

    internal double[][] CooperationRisks { get; }

    /// <summary>The market risk Ra_ij.</summary>
    /// <exception cref="IndexOutOfRangeException">An index is out of range.</exception>
    public double MarketRisk(int party, int stage) => MarketRisks[party][stage];

    /// <summary>The technical risk Rb_ij.</summary>
    /// <exception cref="IndexOutOfRangeException">An index is out of range.</exception>
    public double TechnicalRisk(int party, int stage) => TechnicalRisks[party][stage];

    /// <summary>The cooperation risk Rc_ij.</summary>
    /// <exception cref="IndexOutOfRangeException">An index is out of range.</exception>
    public double CooperationRisk(int party, int stage) => CooperationRisks[party][stage];

    private static double[][] Table(IReadOnlyList<IReadOnlyList<double>>? table, string field, double[][]? shape)
    {
        var parties = shape is null
            ? Guard.Count(table, field, ModelLimits.MinParties, ModelLimits.MaxParties)
            : Guard.Length(table, field, shape.Length, "party");
        int? stageCount = shape?[0].Length;
        var result = new double[parties.Length][];
        for (var i = 0; i < parties.Length; i++)
        {
            var partyField = $"{field}[{i}]";
            var stages = stageCount is { } m
                ? Guard.Length(parties[i], partyField, m, "stage")
                : Guard.Count(parties[i], partyField, 1, ModelLimits.MaxStages);
            stageCount = stages.Length;
            for (var j = 0; j < stages.Length; j++)
            {
                // A risk of 1 would be certain failure: no share rule can compensate it (MODEL §7c: [0, 1)).
                Guard.InRange(stages[j], $"{partyField}[{j}]", 0, 1, maxOpen: true);
            }

            result[i] = stages;
        }

        return result;
    }
}

/// <summary>The risk-based share of MODEL §7(c).</summary>
/// <param name="Risks">R_ij = 1 − (1 − Ra_ij)(1 − Rb_ij)(1 − Rc_ij), indexed [party][stage].</param>
/// <param name="StageShares">v_ij = R_ij / Σ_i R_ij, indexed [party][stage]; each stage sums to 1.</param>
/// <param name="Shares">Σ_j R_ij / Σ_i Σ_j R_ij, one per party, summing to 1.</param>
public sealed record RiskBasedAllocationResult(
    IReadOnlyList<IReadOnlyList<double>> Risks,
    IReadOnlyList<IReadOnlyList<double>> StageShares,
    IReadOnlyList<double> Shares);

/// <summary>
/// The risk-based share (MODEL §7(c), seed 000 §3.3-1): parties that bear more of the risk of
/// failure get more of the tangible benefit.
/// </summary>
public static class RiskBasedAllocation
{
    private static readonly string[] Fields = ["marketRisks", "technicalRisks", "cooperationRisks"];

    /// <summary>Computes the total risks, the stage shares and the overall shares.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ModelValidationException">
    /// A denominator is 0: every risk is 0, or in some stage every party's three risks are 0 (the
    /// message names the stage). The fields are <c>marketRisks</c>, <c>technicalRisks</c> and
    /// <c>cooperationRisks</c> (one error each), since the rule involves all three.
    /// </exception>
    public static RiskBasedAllocationResult Compute(RiskBasedAllocationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var n = input.Parties;
        var m = input.Stages;
        var risks = new double[n][];
        var partyTotals = new double[n];
        var stageTotals = new double[m];
        for (var i = 0; i < n; i++)
        {
            risks[i] = new double[m];
            for (var j = 0; j < m; j++)
            {
                // 1 − (1 − a)(1 − b)(1 − c) = a + (1 − a)(b + (1 − b)c): a sum of non-negative
                // terms, so tiny risks are not lost to cancellation.
                var (a, b, c) = (input.MarketRisks[i][j], input.TechnicalRisks[i][j], input.CooperationRisks[i][j]);
                risks[i][j] = a + ((1 - a) * (b + ((1 - b) * c)));
                partyTotals[i] += risks[i][j];
                stageTotals[j] += risks[i][j];
            }
        }

        var total = partyTotals.Sum();
        if (total == 0)
        {
            throw Undefined("every risk of every party is 0, so the shares Σ_j R_ij / Σ_i Σ_j R_ij are undefined");
        }

        for (var j = 0; j < m; j++)
        {
            if (stageTotals[j] == 0)
            {
                throw Undefined($"in stage {j} (0-based) every party's market, technical and cooperation risks are 0, so the stage shares R_ij / Σ_i R_ij are undefined");
            }
        }

        var stageShares = new IReadOnlyList<double>[n];
        for (var i = 0; i < n; i++)
        {
            var row = new double[m];
            for (var j = 0; j < m; j++)
            {
                row[j] = risks[i][j] / stageTotals[j];
            }

            stageShares[i] = Array.AsReadOnly(row);
        }

        return new RiskBasedAllocationResult(
            Array.AsReadOnly(risks.Select(r => (IReadOnlyList<double>)Array.AsReadOnly(r)).ToArray()),
            Array.AsReadOnly(stageShares),
            Array.AsReadOnly(partyTotals.Select(r => r / total).ToArray()));
    }

    private static ModelValidationException Undefined(string message) =>
        new([.. Fields.Select(f => new FieldError(f, message))]);
}

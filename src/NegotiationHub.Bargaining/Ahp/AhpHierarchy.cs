using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Ahp;

/// <summary>
/// Two-level AHP hierarchies (MODEL §6): criteria weighted against the goal, indicators weighted
/// locally within their criterion; an indicator's global weight is the product.
/// </summary>
public static class AhpHierarchy
{
    /// <summary>
    /// Global indicator weights: <c>global[c][k] = criterionWeights[c] · localWeights[c][k]</c>.
    /// They sum to 1 over all indicators because each input vector does.
    /// </summary>
    /// <param name="criterionWeights">One weight per criterion (1..<see cref="ModelLimits.MaxAhpSize"/>), each ≥ 0, summing to 1 (e.g. <see cref="AhpResult.Weights"/>).</param>
    /// <param name="localWeights">For each criterion, its indicators' local weights (1..<see cref="ModelLimits.MaxAhpSize"/>), each ≥ 0, summing to 1.</param>
    /// <returns>The global weights, shaped like <paramref name="localWeights"/>.</returns>
    /// <exception cref="ModelValidationException">
    /// Fields <c>criterionWeights</c>, <c>criterionWeights[c]</c>, <c>localWeights</c> (not one row per
    /// criterion), <c>localWeights[c]</c> (count or sum), <c>localWeights[c][k]</c>.
    /// </exception>
    public static IReadOnlyList<IReadOnlyList<double>> GlobalWeights(
        IReadOnlyList<double>? criterionWeights,
        IReadOnlyList<IReadOnlyList<double>>? localWeights)
    {
        var criteria = Guard.SumsToOne(Guard.Count(criterionWeights, "criterionWeights", 1, ModelLimits.MaxAhpSize), "criterionWeights");
        var locals = Guard.Length(localWeights, "localWeights", criteria.Length, "criterion");
        var global = new IReadOnlyList<double>[criteria.Length];
        for (var c = 0; c < criteria.Length; c++)
        {
            var field = $"localWeights[{c}]";
            var local = Guard.SumsToOne(Guard.Count(locals[c], field, 1, ModelLimits.MaxAhpSize), field);
            global[c] = Array.AsReadOnly(local.Select(x => criteria[c] * x).ToArray());
        }

        return Array.AsReadOnly(global);
    }
}

using System.Text.Json.Serialization;
using NegotiationHub.Bargaining.Allocation;

namespace NegotiationHub.Server.Calculators;

/// <summary>The effort game: w_i, the optimum, and the outcome at the requested shares.</summary>
/// <param name="EffortWeights">w_i = d_i²/b_i.</param>
/// <param name="Optimum">The shares maximizing V and the stage-2 outcome there.</param>
/// <param name="AtShares">The stage-2 outcome at the requested <c>shares</c>; absent when none were given.</param>
public sealed record EffortGameResponse(
    IReadOnlyList<double> EffortWeights,
    EffortOptimumView Optimum,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EffortOutcome? AtShares);

using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace NegotiationHub.Server.Calculators;

/// <summary>The AHP result of <c>matrix</c>, and of the hierarchy when indicator matrices were given.</summary>
public sealed record AhpResponse : AhpMatrixResponse
{
    /// <summary>The response for <c>matrix</c> alone; the hierarchy is added with <c>with</c>.</summary>
    [SetsRequiredMembers]
    public AhpResponse(AhpMatrixResponse matrix)
        : base(matrix)
    {
    }

    /// <summary>Per criterion, the AHP result of its indicator matrix.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AhpMatrixResponse>? Indicators { get; init; }

    /// <summary>global[c][k] = weights[c] · indicators[c].weights[k]; all sum to 1.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<IReadOnlyList<double>>? GlobalWeights { get; init; }
}


namespace NegotiationHub.Server.Sessions;

/// <summary>New strength readings for a contract period.</summary>
public sealed record StrengthsRequest
{
    /// <summary>The period (0 while in draft; later periods drive revisions).</summary>
    public int? Period { get; init; }

    public IReadOnlyList<IReadOnlyList<double>>? Strengths { get; init; }
}

namespace NegotiationHub.Bots.Strategies;

/// <summary>
/// What a party knows when it is about to bid in a round: everything a
/// <see cref="IConcessionStrategy"/> may look at. Amounts are in the units of the pool K.
/// </summary>
public sealed record BargainingPosition
{
    /// <summary>The round about to be bid in (1-based).</summary>
    public required int Round { get; init; }

    /// <summary>K, the pool being divided; no demand exceeds it.</summary>
    public required double Pool { get; init; }

    /// <summary>d_i, the party's disagreement point (MODEL §2); no demand goes below it.</summary>
    public required double DisagreementPoint { get; init; }

    /// <summary>The party's demand that counted in the previous round (after any auto-concession), or null before its first round.</summary>
    public double? LastDemand { get; init; }

    /// <summary>k*_i, the party's amount in the Nash bargaining solution as the last <c>RoundClosed</c> reported it (MODEL §3–4), or null before the first round closed.</summary>
    public double? Target { get; init; }

    /// <summary>Clamps a demand into the range the server accepts, [d_i, K].</summary>
    public double Feasible(double demand) => Math.Clamp(demand, DisagreementPoint, Pool);
}

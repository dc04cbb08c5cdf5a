namespace NegotiationHub.Bots.Strategies;

/// <summary>
/// Never concedes: bids its opening demand every round (a baseline and a stress case).
/// </summary>
/// <remarks>
/// What a session with a hard-liner does: the server auto-concedes only parties that miss a
/// deadline, and a hard-liner always bids, so its demand H stands. The others can still agree with
/// it if H + Σ_{j≠i} d_j ≤ K (time-dependent tactics reach d_j by their deadline). If not — e.g.
/// H = K, the default, while some d_j &gt; 0 — no round is ever compatible: the bots stop at their
/// rounds limit (<c>--max-rounds</c>) and report no agreement, and the session stays open until its
/// coordinator closes it.
/// </remarks>
/// <param name="opening">H as a fraction of [d_i, K]; 1 (the default) demands the whole pool.</param>
public sealed class HardLineConcession(double opening = 1) : IConcessionStrategy
{
    /// <inheritdoc />
    public string Name => "hardliner";

    /// <summary>The demand, as a fraction of [d_i, K].</summary>
    public double Opening { get; } = TimeDependentConcession.CheckFraction(opening, nameof(opening));

    /// <inheritdoc />
    public double NextDemand(BargainingPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        return position.Feasible(position.DisagreementPoint + (Opening * (position.Pool - position.DisagreementPoint)));
    }
}

namespace NegotiationHub.Bots.Strategies;

/// <summary>
/// Moves the demand a fraction λ of the way toward the party's NBS target each round (MODEL §4,
/// the same partial adjustment the server applies to a late party): <c>D ← D + λ(k* − D)</c>, so
/// the distance |D − k*| shrinks by the factor (1 − λ) per round.
/// </summary>
/// <remarks>
/// A geometric approach never lands on k*, and the server agrees only when Σ D_i ≤ K exactly
/// (MODEL §4: g ≤ 0), which demands just above their targets never satisfy. So once the next
/// demand is within <see cref="SettleWithin"/>·K of the target, the party settles: it bids the
/// target less a hair (<see cref="SettlementMargin"/>·K), enough that rounding in Σ k*_i cannot
/// leave the gap a hair above zero. Before the first round has closed there is no target and the
/// party opens with <see cref="Opening"/>.
/// </remarks>
public sealed class TowardNashConcession : IConcessionStrategy
{
    /// <summary>The hair under k*_i a settling party bids, as a fraction of K.</summary>
    public const double SettlementMargin = 1e-9;

    /// <summary>Creates the strategy.</summary>
    /// <param name="lambda">λ ∈ (0, 1]: the fraction of the way to the target moved per round.</param>
    /// <param name="settleWithin">Settle once within this fraction of K of the target; in [0, 1). 0 never settles early.</param>
    /// <param name="opening">The first demand as a fraction of the feasible range [d_i, K]: 1 (the default) asks for the whole pool.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range.</exception>
    public TowardNashConcession(double lambda = 0.5, double settleWithin = 0.005, double opening = 1)
    {
        if (!(lambda > 0 && lambda <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must lie in (0, 1].");
        }

        if (!(settleWithin >= 0 && settleWithin < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(settleWithin), settleWithin, "must lie in [0, 1).");
        }

        Lambda = lambda;
        SettleWithin = settleWithin;
        Opening = TimeDependentConcession.CheckFraction(opening, nameof(opening));
    }

    /// <inheritdoc />
    public string Name => "toward-nbs";

    /// <summary>λ, the fraction of the remaining distance conceded per round.</summary>
    public double Lambda { get; }

    /// <summary>How close to the target (as a fraction of K) the party settles on it.</summary>
    public double SettleWithin { get; }

    /// <summary>The opening demand, as a fraction of [d_i, K].</summary>
    public double Opening { get; }

    /// <inheritdoc />
    public double NextDemand(BargainingPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        var opening = position.DisagreementPoint + (Opening * (position.Pool - position.DisagreementPoint));
        if (position.Target is not { } target)
        {
            return position.Feasible(Math.Min(opening, position.LastDemand ?? opening));
        }

        var from = position.LastDemand ?? opening;
        var next = from + (Lambda * (target - from)); // MODEL §4: D + λ(k* − D)
        if (Math.Abs(next - target) <= SettleWithin * position.Pool)
        {
            next = target - (SettlementMargin * position.Pool);
        }

        return position.Feasible(next);
    }
}

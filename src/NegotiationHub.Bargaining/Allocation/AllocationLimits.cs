namespace NegotiationHub.Bargaining.Allocation;

/// <summary>
/// Value limits of the tangible allocation models (MODEL §7), beyond the size limits of
/// <see cref="Validation.ModelLimits"/>. They keep every sum far from overflow, so results are
/// always finite.
/// </summary>
public static class AllocationLimits
{
    /// <summary>
    /// Largest accepted money amount or score (costs, fixed costs, base output, pool, contribution
    /// degrees): 10¹⁵ — a quadrillion currency units, beyond any real alliance.
    /// </summary>
    public const double MaxAmount = 1e15;

    /// <summary>Largest accepted per-stage rate r in the cost-based share: 1 (100 % per stage).</summary>
    public const double MaxRate = 1;
}

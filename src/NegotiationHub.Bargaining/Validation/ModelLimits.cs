namespace NegotiationHub.Bargaining.Validation;

/// <summary>
/// Size limits on model inputs. They keep a single request's work bounded (the calculators are
/// public and unauthenticated) and match the product's range of 2..16 parties.
/// </summary>
public static class ModelLimits
{
    /// <summary>Fewest parties in a negotiation.</summary>
    public const int MinParties = 2;

    /// <summary>Most parties in a negotiation (PRODUCT.md: n = 2..16).</summary>
    public const int MaxParties = 16;

    /// <summary>Most bargaining-power factors (m).</summary>
    public const int MaxFactors = 32;

    /// <summary>Largest AHP matrix (Saaty's RI table goes to n = 15).</summary>
    public const int MaxAhpSize = 15;

    /// <summary>Most experts in a GEM aggregation.</summary>
    public const int MaxExperts = 100;

    /// <summary>Most items scored in a GEM aggregation.</summary>
    public const int MaxItems = 64;

    /// <summary>Most stages in the cost- and risk-based allocations.</summary>
    public const int MaxStages = 32;

    /// <summary>Most resource kinds per stage in the cost-based allocation.</summary>
    public const int MaxResources = 32;

    /// <summary>Most firms in the spillover model.</summary>
    public const int MaxFirms = 1000;

    /// <summary>Most points returned by a symbiosis trajectory.</summary>
    public const int MaxTrajectoryPoints = 5000;

    /// <summary>
    /// Smallest magnitude of a pool K, a strength I, a log utility's scale s, an exponential
    /// utility's ρ and a bargaining power h (MODEL §1–3). With every magnitude in
    /// [<see cref="MinMagnitude"/>, <see cref="MaxMagnitude"/>], every q, ratio, power and Nash
    /// product the engine reports is a finite double (issue 19).
    /// </summary>
    public const double MinMagnitude = 1e-100;

    /// <summary>Largest magnitude of K, I, s and ρ (see <see cref="MinMagnitude"/>).</summary>
    public const double MaxMagnitude = 1e100;

    /// <summary>Smallest α of a power utility u = k^α: q = k/α stays within 1e12·K.</summary>
    public const double MinAlpha = 1e-12;
}

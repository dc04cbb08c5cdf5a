using NegotiationHub.Bargaining.Utilities;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Server.Calculators;

/// <summary>A utility function on the wire: <c>{ "kind": "power", "alpha": 0.5 }</c> (MODEL §2).</summary>
public sealed record UtilitySpec
{
    /// <summary>linear, power, log or exponential.</summary>
    public UtilityKind? Kind { get; init; }

    /// <summary>α for the power kind, 0 &lt; α ≤ 1.</summary>
    public double? Alpha { get; init; }

    /// <summary>s for the log kind, s &gt; 0.</summary>
    public double? Scale { get; init; }

    /// <summary>ρ for the exponential kind, ρ &gt; 0.</summary>
    public double? Rho { get; init; }

    /// <summary>Builds the validated utility; <paramref name="field"/> names it in errors.</summary>
    public Utility ToUtility(string field)
    {
        var kind = Kind ?? throw new ModelValidationException($"{field}.kind", "is required (linear, power, log or exponential)");
        return Utility.Create(kind, kind switch
        {
            UtilityKind.Power => Alpha,
            UtilityKind.Log => Scale,
            UtilityKind.Exponential => Rho,
            _ => null,
        }, field);
    }
}

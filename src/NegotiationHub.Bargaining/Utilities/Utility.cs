using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Utilities;

/// <summary>The four utility kinds of MODEL §2.</summary>
public enum UtilityKind
{
    /// <summary><c>u(k) = k</c>.</summary>
    Linear,

    /// <summary><c>u(k) = k^α</c>, <c>0 &lt; α ≤ 1</c>.</summary>
    Power,

    /// <summary><c>u(k) = ln(1 + k/s)</c>, <c>s &gt; 0</c>.</summary>
    Log,

    /// <summary><c>u(k) = 1 − e^(−ρk)</c>, <c>ρ &gt; 0</c>.</summary>
    Exponential,
}

/// <summary>
/// An increasing concave utility over a share k ≥ 0 of the pool, with u(0) = 0 (MODEL §2), and
/// the fear of breakdown <c>q(k) = (u(k) − u(d)) / u'(k)</c> measured from a disagreement point d.
/// </summary>
/// <remarks>
/// For every concave u, <c>q'(k) = 1 − (u(k) − u(d))·u''(k)/u'(k)² ≥ 1</c> and q is convex, so
/// <c>q⁻¹</c> exists, is concave, and <c>q⁻¹(y) ≤ d + y</c>. The NBS solver relies on this.
/// </remarks>
public abstract class Utility
{
    private protected Utility()
    {
    }

    /// <summary>The kind of this utility.</summary>
    public abstract UtilityKind Kind { get; }

    /// <summary>The kind's parameter (α, s or ρ), or null for linear.</summary>
    public abstract double? Parameter { get; }

    /// <summary>The shared linear utility u(k) = k.</summary>
    public static Utility Linear { get; } = new LinearUtility();

    /// <summary>Creates a utility of the given kind, validating its parameter.</summary>
    /// <param name="kind">The utility kind.</param>
    /// <param name="parameter">α for power, s for log, ρ for exponential; ignored for linear.</param>
    /// <param name="field">The field name to use in validation errors, e.g. <c>utilities[2]</c>.</param>
    /// <exception cref="ModelValidationException">The parameter is missing or out of range.</exception>
    public static Utility Create(UtilityKind kind, double? parameter, string field = "utility") => kind switch
    {
        UtilityKind.Linear => Linear,
        UtilityKind.Power => new PowerUtility(Guard.InRange(Required(parameter, $"{field}.alpha"), $"{field}.alpha", 0, 1, minOpen: true)),
        UtilityKind.Log => new LogUtility(Guard.Positive(Required(parameter, $"{field}.scale"), $"{field}.scale")),
        UtilityKind.Exponential => new ExponentialUtility(Guard.Positive(Required(parameter, $"{field}.rho"), $"{field}.rho")),
        _ => throw new ModelValidationException($"{field}.kind", "must be one of linear, power, log, exponential"),
    };

    /// <summary>u(k) for k ≥ 0.</summary>
    public abstract double Value(double k);

    /// <summary>u'(k) for k ≥ 0 (may be +∞ at k = 0 for the power kind).</summary>
    public abstract double Marginal(double k);

    /// <summary>Fear of breakdown <c>q(k) = (u(k) − u(d)) / u'(k)</c> for k ≥ d ≥ 0 (MODEL §2).</summary>
    public abstract double FearOfBreakdown(double k, double d);

    /// <summary>The slope <c>dq/dk ≥ 1</c> at k ≥ d.</summary>
    public abstract double FearOfBreakdownSlope(double k, double d);

    /// <summary>The k ≥ d with <c>q(k) = y</c>, for y ≥ 0 (q is strictly increasing from q(d) = 0).</summary>
    public abstract double InverseFearOfBreakdown(double y, double d);

    /// <summary>The gain over the disagreement point, <c>u(k) − u(d)</c>, computed without cancellation where possible.</summary>
    public virtual double Gain(double k, double d) => Value(k) - Value(d);

    /// <inheritdoc />
    public override string ToString() => Parameter is { } p ? $"{Kind}({p})" : Kind.ToString();

    private static double Required(double? parameter, string field) =>
        parameter ?? throw new ModelValidationException(field, "is required for this utility kind");

    /// <summary>
    /// Solves q(k) = y on [lo, hi] for an increasing convex q by Newton's method, falling back to
    /// bisection whenever a step leaves the bracket. Used where q⁻¹ has no closed form.
    /// </summary>
    private protected double SolveInverse(double y, double d, double lo, double hi)
    {
        var k = hi; // Newton from the right on an increasing convex function never overshoots the root.
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var f = FearOfBreakdown(k, d) - y;
            if (f > 0)
            {
                hi = k;
            }
            else
            {
                lo = k;
            }

            var next = k - (f / FearOfBreakdownSlope(k, d));
            if (!(next > lo && next < hi))
            {
                next = 0.5 * (lo + hi);
            }

            if (Math.Abs(next - k) <= 1e-15 * Math.Max(1, Math.Abs(k)))
            {
                return next;
            }

            k = next;
        }

        return k;
    }
}

/// <summary><c>u(k) = k</c>; <c>q(k) = k − d</c>.</summary>
internal sealed class LinearUtility : Utility
{
    public override UtilityKind Kind => UtilityKind.Linear;

    public override double? Parameter => null;

    public override double Value(double k) => k;

    public override double Marginal(double k) => 1;

    public override double FearOfBreakdown(double k, double d) => k - d;

    public override double FearOfBreakdownSlope(double k, double d) => 1;

    public override double InverseFearOfBreakdown(double y, double d) => d + y;

    public override double Gain(double k, double d) => k - d;
}

/// <summary><c>u(k) = k^α</c>; <c>q(k) = (k − d^α·k^(1−α))/α</c>, which is k/α when d = 0.</summary>
internal sealed class PowerUtility(double alpha) : Utility
{
    public override UtilityKind Kind => UtilityKind.Power;

    public override double? Parameter => alpha;

    public override double Value(double k) => Math.Pow(k, alpha);

    public override double Marginal(double k) => alpha * Math.Pow(k, alpha - 1);

    public override double FearOfBreakdown(double k, double d) =>
        d == 0 ? k / alpha : (k - (Math.Pow(d, alpha) * Math.Pow(k, 1 - alpha))) / alpha;

    public override double FearOfBreakdownSlope(double k, double d) =>
        d == 0 ? 1 / alpha : 1 + ((1 - alpha) * (1 - Math.Pow(d / k, alpha)) / alpha);

    public override double InverseFearOfBreakdown(double y, double d)
    {
        // 1 ≤ q' ≤ 1/α brackets the root in [d + α·y, d + y].
        if (d == 0 || alpha == 1)
        {
            return d + (alpha * y);
        }

        return y == 0 ? d : SolveInverse(y, d, d + (alpha * y), d + y);
    }
}

/// <summary><c>u(k) = ln(1 + k/s)</c>; <c>q(k) = (s + k)·ln((s + k)/(s + d))</c>.</summary>
internal sealed class LogUtility(double scale) : Utility
{
    public override UtilityKind Kind => UtilityKind.Log;

    public override double? Parameter => scale;

    public override double Value(double k) => Accurate.LogP1(k / scale);

    public override double Marginal(double k) => 1 / (scale + k);

    public override double Gain(double k, double d) => Accurate.LogP1((k - d) / (scale + d));

    public override double FearOfBreakdown(double k, double d) => (scale + k) * Gain(k, d);

    public override double FearOfBreakdownSlope(double k, double d) => 1 + Gain(k, d);

    public override double InverseFearOfBreakdown(double y, double d)
    {
        if (y == 0)
        {
            return d;
        }

        // With z = (s + k)/(s + d): z·ln z = y/(s + d). g(z) = z ln z − c is increasing and convex on
        // z ≥ 1 and g(1 + c) ≥ 0, so Newton from 1 + c decreases monotonically to the root.
        var c = y / (scale + d);
        var z = 1 + c;
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var log = Math.Log(z);
            var next = z - (((z * log) - c) / (log + 1));
            if (!(next >= 1))
            {
                next = 1;
            }

            if (Math.Abs(next - z) <= 1e-16 * z)
            {
                z = next;
                break;
            }

            z = next;
        }

        return Math.Max(d, ((scale + d) * z) - scale);
    }
}

/// <summary><c>u(k) = 1 − e^(−ρk)</c>; <c>q(k) = (e^(ρ(k−d)) − 1)/ρ</c>.</summary>
internal sealed class ExponentialUtility(double rho) : Utility
{
    public override UtilityKind Kind => UtilityKind.Exponential;

    public override double? Parameter => rho;

    public override double Value(double k) => -Accurate.ExpM1(-rho * k);

    public override double Marginal(double k) => rho * Math.Exp(-rho * k);

    public override double Gain(double k, double d) => Math.Exp(-rho * d) * -Accurate.ExpM1(-rho * (k - d));

    public override double FearOfBreakdown(double k, double d) => Accurate.ExpM1(rho * (k - d)) / rho;

    public override double FearOfBreakdownSlope(double k, double d) => Math.Exp(rho * (k - d));

    public override double InverseFearOfBreakdown(double y, double d) => d + (Accurate.LogP1(rho * y) / rho);
}

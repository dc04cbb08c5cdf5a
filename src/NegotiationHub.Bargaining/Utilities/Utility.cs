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
        UtilityKind.Power => new PowerUtility(Guard.InRange(Required(parameter, $"{field}.alpha"), $"{field}.alpha", ModelLimits.MinAlpha, 1)),
        UtilityKind.Log => new LogUtility(Guard.Magnitude(Required(parameter, $"{field}.scale"), $"{field}.scale")),
        UtilityKind.Exponential => new ExponentialUtility(Guard.Magnitude(Required(parameter, $"{field}.rho"), $"{field}.rho")),
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
    public double InverseFearOfBreakdown(double y, double d) => InverseFearOfBreakdown(y, d, double.NaN);

    /// <summary>
    /// The k ≥ d with <c>q(k) = y</c>, starting an iterative solve from <paramref name="guess"/>
    /// when it is a number (the NBS solver's tangent prediction, usually a digit or two from the
    /// root); the answer does not depend on the guess beyond rounding.
    /// </summary>
    internal abstract double InverseFearOfBreakdown(double y, double d, double guess);

    /// <summary>The gain over the disagreement point, <c>u(k) − u(d)</c>, computed without cancellation where possible.</summary>
    public virtual double Gain(double k, double d) => Value(k) - Value(d);

    /// <inheritdoc />
    public override string ToString() => Parameter is { } p ? $"{Kind}({p})" : Kind.ToString();

    private static double Required(double? parameter, string field) =>
        parameter ?? throw new ModelValidationException(field, "is required for this utility kind");
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

    internal override double InverseFearOfBreakdown(double y, double d, double guess) => d + y;

    public override double Gain(double k, double d) => k - d;
}

/// <summary>
/// <c>u(k) = k^α</c>; <c>q(k) = (k − d^α·k^(1−α))/α</c>, which is k/α when d = 0. Written with
/// t = α·ln(k/d) as q = k·(1 − e^(−t))/α, so that neither k ≈ d nor a tiny α cancels.
/// </summary>
internal sealed class PowerUtility(double alpha) : Utility
{
    public override UtilityKind Kind => UtilityKind.Power;

    public override double? Parameter => alpha;

    public override double Value(double k) => Math.Pow(k, alpha);

    public override double Marginal(double k) => alpha * Math.Pow(k, alpha - 1);

    public override double Gain(double k, double d) => d == 0 ? Math.Pow(k, alpha) : Math.Pow(k, alpha) * OneMinusRatioPower(k, d);

    public override double FearOfBreakdown(double k, double d) =>
        d == 0 ? k / alpha : k * OneMinusRatioPower(k, d) / alpha;

    public override double FearOfBreakdownSlope(double k, double d) =>
        d == 0 ? 1 / alpha : 1 + ((1 - alpha) * OneMinusRatioPower(k, d) / alpha);

    internal override double InverseFearOfBreakdown(double y, double d, double guess)
    {
        if (d == 0 || alpha == 1)
        {
            return d + (alpha * y);
        }

        if (y == 0)
        {
            return d;
        }

        // 1 ≤ q' ≤ 1/α brackets the root in [d + α·y, d + y]. Newton's method on the increasing convex
        // q: from the right it descends monotonically; from a guess on the left, one step lands on the
        // right. A step that leaves the bracket is replaced by bisection. One ratio r = 1 − (d/k)^α per
        // step gives both q = k·r/α and q' = 1 + (1 − α)·r/α.
        var lo = d + (alpha * y);
        var hi = d + y;
        var k = guess > lo && guess < hi ? guess : hi;
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var r = OneMinusRatioPower(k, d);
            var f = (k * r / alpha) - y;
            if (f > 0)
            {
                hi = k;
            }
            else if (f < 0)
            {
                lo = k;
            }
            else
            {
                return k;
            }

            var next = k - (f / (1 + ((1 - alpha) * r / alpha)));
            if (!(next > lo && next < hi))
            {
                next = lo + (0.5 * (hi - lo));
            }

            // Relative to k (> d ≥ 0), so a pool of 1e−12 is solved to the same digits as one of 1e12.
            if (Math.Abs(next - k) <= 4e-16 * next || next == lo || next == hi)
            {
                return next;
            }

            k = next;
        }

        return k;
    }

    /// <summary>1 − (d/k)^α = −expm1(−α·ln(1 + (k − d)/d)), for k ≥ d &gt; 0.</summary>
    private double OneMinusRatioPower(double k, double d) => -Accurate.ExpM1(-alpha * Accurate.LogP1((k - d) / d));
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

    internal override double InverseFearOfBreakdown(double y, double d, double guess)
    {
        if (y == 0)
        {
            return d;
        }

        // With w = (k − d)/(s + d): (1 + w)·ln(1 + w) = c = y/(s + d), and k = d + (s + d)·w — a sum
        // of non-negative terms, so a scale far above the pool does not cancel. g(w) = (1 + w)·ln(1 + w) − c
        // is increasing and convex on w ≥ 0 with g(c) ≥ 0: Newton's method from w = c descends
        // monotonically to the root; from a guess below it, one step lands above it.
        var sd = scale + d;
        var c = y / sd;
        var w = c;
        if (guess > d && (guess - d) / sd < c)
        {
            w = (guess - d) / sd;
        }

        for (var iteration = 0; iteration < 200; iteration++)
        {
            var log = Accurate.LogP1(w);
            var next = w - ((((1 + w) * log) - c) / (log + 1));
            if (!(next > 0))
            {
                next = 0.5 * w;
            }

            var done = Math.Abs(next - w) <= 4e-16 * next;
            w = next;
            if (done)
            {
                break;
            }
        }

        return d + (sd * w);
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

    internal override double InverseFearOfBreakdown(double y, double d, double guess) => d + (Accurate.LogP1(rho * y) / rho);
}

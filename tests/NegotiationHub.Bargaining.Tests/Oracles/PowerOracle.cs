using System.Numerics;

namespace NegotiationHub.Bargaining.Tests.Oracles;

/// <summary>
/// MODEL §1 in exact rational arithmetic: l_ip = I_ip / mean_{j≠i} I_jp, H_i = Σ_p π_ip l_ip,
/// h_i = H_i / Σ_j H_j, every double input taken exactly as the rational it is.
/// </summary>
internal static class PowerOracle
{
    public static (double[] Raw, double[] Power) Compute(double[][] strengths, double[] weights)
    {
        var n = strengths.Length;
        var m = weights.Length;
        var raw = new Rational[n];
        for (var i = 0; i < n; i++)
        {
            raw[i] = Rational.Zero;
            for (var p = 0; p < m; p++)
            {
                var others = Rational.Zero;
                for (var j = 0; j < n; j++)
                {
                    if (j != i)
                    {
                        others += Rational.FromDouble(strengths[j][p]);
                    }
                }

                // l = I / (others/(n − 1)) = I·(n − 1)/others
                var ratio = Rational.FromDouble(strengths[i][p]) * new Rational(n - 1, 1) / others;
                raw[i] += Rational.FromDouble(weights[p]) * ratio;
            }
        }

        var total = raw.Aggregate(Rational.Zero, (a, b) => a + b);
        return ([.. raw.Select(r => r.ToDouble())], [.. raw.Select(r => (r / total).ToDouble())]);
    }
}

/// <summary>An exact fraction of BigIntegers, reduced; enough of one for <see cref="PowerOracle"/>.</summary>
internal readonly record struct Rational(BigInteger Numerator, BigInteger Denominator)
{
    public static Rational Zero => new(0, 1);

    public static Rational FromDouble(double value)
    {
        var (mantissa, exponent) = ExactDouble.Decompose(value);
        return exponent >= 0 ? new Rational(mantissa << exponent, 1) : Reduce(mantissa, BigInteger.One << -exponent);
    }

    public static Rational operator +(Rational a, Rational b) =>
        Reduce((a.Numerator * b.Denominator) + (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    public static Rational operator *(Rational a, Rational b) => Reduce(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static Rational operator /(Rational a, Rational b) => Reduce(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    /// <summary>The double nearest to the fraction, within one unit in the last place.</summary>
    public double ToDouble()
    {
        if (Numerator.IsZero)
        {
            return 0;
        }

        // Scale so the quotient has 64 significant bits, then let the conversion round once.
        var shift = (int)(64 - Numerator.GetBitLength() + Denominator.GetBitLength());
        var quotient = shift >= 0 ? (BigInteger.Abs(Numerator) << shift) / Denominator : BigInteger.Abs(Numerator) / (Denominator << -shift);
        var result = Math.ScaleB((double)quotient, -shift);
        return Numerator.Sign < 0 ? -result : result;
    }

    private static Rational Reduce(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }

        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        return gcd.IsOne || gcd.IsZero ? new Rational(numerator, denominator) : new Rational(numerator / gcd, denominator / gcd);
    }
}

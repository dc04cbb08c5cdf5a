using System.Numerics;

namespace NegotiationHub.Bargaining.Tests.Oracles;

/// <summary>
/// A real number held exactly to 2^−512 (a BigInteger count of 2^−512 units): the independent
/// high-precision arithmetic the precision properties compare the engine with (issue 19). Every
/// double converts exactly; +, −, × and ÷ round once at 2^−512; ln and exp are series evaluated
/// to that resolution. At the magnitudes the tests use (≥ 1e−15) that is ≥ 120 significant digits.
/// </summary>
internal readonly struct BigFixed : IComparable<BigFixed>
{
    private const int Bits = 512;
    private static readonly BigInteger Unit = BigInteger.One << Bits;
    private static readonly Lazy<BigFixed> Ln2Value = new(() => AtanhSeries(FromRatio(1, 3)) * 2);

    private readonly BigInteger _units;

    private BigFixed(BigInteger units) => _units = units;

    public static BigFixed Zero => default;

    public static BigFixed One => new(Unit);

    public int Sign => _units.Sign;

    public static BigFixed FromDouble(double value)
    {
        var (mantissa, exponent) = ExactDouble.Decompose(value);
        var shift = exponent + Bits;
        var units = shift >= 0 ? BigInteger.Abs(mantissa) << shift : BigInteger.Abs(mantissa) >> -shift; // truncated toward zero
        return new BigFixed(mantissa.Sign < 0 ? -units : units);
    }

    public static BigFixed FromRatio(long numerator, long denominator) => new((new BigInteger(numerator) << Bits) / denominator);

    /// <summary>The nearest double (ties away from zero at the 54th bit; the comparisons use tolerances far above that).</summary>
    public double ToDouble()
    {
        if (_units.IsZero)
        {
            return 0;
        }

        var magnitude = BigInteger.Abs(_units);
        var length = (int)magnitude.GetBitLength();
        var drop = Math.Max(0, length - 64);
        var top = (double)(ulong)(magnitude >> drop);
        var result = Math.ScaleB(top, drop - Bits);
        return _units.Sign < 0 ? -result : result;
    }

    public static BigFixed operator +(BigFixed a, BigFixed b) => new(a._units + b._units);

    public static BigFixed operator -(BigFixed a, BigFixed b) => new(a._units - b._units);

    public static BigFixed operator -(BigFixed a) => new(-a._units);

    public static BigFixed operator *(BigFixed a, BigFixed b) => new((a._units * b._units) >> Bits);

    public static BigFixed operator *(BigFixed a, int b) => new(a._units * b);

    public static BigFixed operator /(BigFixed a, BigFixed b) => new((a._units << Bits) / b._units);

    public static BigFixed operator /(BigFixed a, int b) => new(a._units / b);

    public static bool operator <(BigFixed a, BigFixed b) => a._units < b._units;

    public static bool operator >(BigFixed a, BigFixed b) => a._units > b._units;

    public static BigFixed Abs(BigFixed a) => new(BigInteger.Abs(a._units));

    public int CompareTo(BigFixed other) => _units.CompareTo(other._units);

    public override string ToString() => ToDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>ln x for x &gt; 0: x = m·2^e with m in [1, 2), ln m = 2 atanh((m − 1)/(m + 1)).</summary>
    public static BigFixed Ln(BigFixed x)
    {
        if (x._units.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(x), "ln needs x > 0");
        }

        var e = (int)x._units.GetBitLength() - 1 - Bits;
        var m = new BigFixed(e >= 0 ? x._units >> e : x._units << -e);
        return (AtanhSeries((m - One) / (m + One)) * 2) + (Ln2Value.Value * e);
    }

    /// <summary>e^x: x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor series.</summary>
    public static BigFixed Exp(BigFixed x)
    {
        var ln2 = Ln2Value.Value;
        var n = (int)Math.Round((x / ln2).ToDouble());
        var r = x - (ln2 * n);
        var sum = One;
        var term = One;
        for (var j = 1; !term._units.IsZero; j++)
        {
            term = term * r / j;
            sum += term;
        }

        return new BigFixed(n >= 0 ? sum._units << n : sum._units >> -n);
    }

    /// <summary>x^y = e^(y ln x) for x &gt; 0.</summary>
    public static BigFixed Pow(BigFixed x, BigFixed y) => Exp(y * Ln(x));

    private static BigFixed AtanhSeries(BigFixed t)
    {
        var t2 = t * t;
        var power = t;
        var sum = Zero;
        for (var j = 1; !power._units.IsZero; j += 2)
        {
            sum += power / j;
            power *= t2;
        }

        return sum;
    }
}

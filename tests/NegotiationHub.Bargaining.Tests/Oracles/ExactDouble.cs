using System.Numerics;

namespace NegotiationHub.Bargaining.Tests.Oracles;

/// <summary>A finite double exactly as the binary number it is: value = mantissa · 2^exponent.</summary>
internal static class ExactDouble
{
    /// <summary>The signed integer mantissa and the power of two of <paramref name="value"/> (finite).</summary>
    public static (BigInteger Mantissa, int Exponent) Decompose(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "finite values only");
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var biased = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (biased == 0)
        {
            biased = 1; // subnormal: no implicit leading bit
        }
        else
        {
            mantissa |= 1L << 52;
        }

        return (value < 0 ? -new BigInteger(mantissa) : new BigInteger(mantissa), biased - 1075);
    }
}

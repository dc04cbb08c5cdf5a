namespace NegotiationHub.Bargaining.Utilities;

/// <summary>
/// exp(x) − 1 and ln(1 + x) to a few units in the last place for every x, including near 0.
/// .NET's <c>double.ExpM1</c>/<c>LogP1</c> are computed as <c>Exp(x) − 1</c> and <c>Log(1 + x)</c>,
/// which lose up to all digits for small x.
/// </summary>
internal static class Accurate
{
    /// <summary>e^x − 1 (Kahan: the rounding error of u = e^x cancels in (u − 1)·x/ln u).</summary>
    public static double ExpM1(double x)
    {
        if (Math.Abs(x) < 1e-5)
        {
            return x * (1 + (x * (0.5 + (x / 6))));
        }

        var u = Math.Exp(x);
        if (Math.Abs(x) >= 0.7)
        {
            return u - 1; // |e^x − 1| ≥ e^x/2 (or ≥ 1/2): the subtraction loses at most one bit
        }

        if (u == 1 || double.IsInfinity(u))
        {
            return u == 1 ? x : u;
        }

        var um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }

    /// <summary>ln(1 + x) for x &gt; −1 (Goldberg: with u = 1 + x rounded, ln u · x/(u − 1)).</summary>
    public static double LogP1(double x)
    {
        if (Math.Abs(x) < 1e-4)
        {
            return x * (1 - (x * ((1.0 / 2) - (x * ((1.0 / 3) - (x / 4))))));
        }

        var u = 1 + x;
        return double.IsInfinity(u) || u == x ? Math.Log(x) : Math.Log(u) * x / (u - 1);
    }
}

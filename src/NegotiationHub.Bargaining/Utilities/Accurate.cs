namespace NegotiationHub.Bargaining.Utilities;

/// <summary>
/// exp(x) − 1 and ln(1 + x) without cancellation near 0. .NET's <c>double.ExpM1</c>/<c>LogP1</c>
/// are computed as <c>Exp(x) − 1</c> and <c>Log(1 + x)</c>, which lose digits for small x.
/// </summary>
internal static class Accurate
{
    public static double ExpM1(double x)
    {
        if (Math.Abs(x) < 1e-5)
        {
            return x * (1 + (x * (0.5 + (x / 6))));
        }

        return Math.Exp(x) - 1;
    }

    public static double LogP1(double x)
    {
        if (Math.Abs(x) < 1e-4)
        {
            return x * (1 - (x * ((1.0 / 2) - (x * ((1.0 / 3) - (x / 4))))));
        }

        return Math.Log(1 + x);
    }
}

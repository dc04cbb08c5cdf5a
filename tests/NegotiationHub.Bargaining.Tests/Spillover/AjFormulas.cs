namespace NegotiationHub.Bargaining.Tests.Spillover;

/// <summary>MODEL §8 closed forms, written out again on the test side so that expected values never come from the code under test.</summary>
internal static class AjFormulas
{
    public static double Theta(int n, double beta) => n - ((n - 1) * beta);

    public static double Phi(int n, double beta) => 1 + ((n - 1) * beta);

    public static double NoCooperation(double a, double b, double capA, double beta, double gamma, int n) =>
        2 * Theta(n, beta) * (a - capA) / ((b * gamma * (n + 1) * (n + 1)) - (2 * Theta(n, beta) * Phi(n, beta)));

    public static double RndCooperation(double a, double b, double capA, double beta, double gamma, int n) =>
        2 * Phi(n, beta) * (a - capA) / ((b * gamma * (n + 1) * (n + 1)) - (2 * Phi(n, beta) * Phi(n, beta)));

    public static double FullCooperation(double a, double b, double capA, double beta, double gamma, int n) =>
        Phi(n, beta) * (a - capA) / ((2 * n * b * gamma) - (Phi(n, beta) * Phi(n, beta)));

    public static double FullCooperationThreshold(int n) => ((3.0 * n) + 1) / ((n * n) + (6.0 * n) + 1);
}

/// <summary>Golden-section search for the maximum of a unimodal function; independent of the library.</summary>
internal static class GoldenSection
{
    private static readonly double InvPhi = (Math.Sqrt(5) - 1) / 2;

    public static double Maximize(Func<double, double> f, double lo, double hi, int iterations = 200)
    {
        var x1 = hi - (InvPhi * (hi - lo));
        var x2 = lo + (InvPhi * (hi - lo));
        var (f1, f2) = (f(x1), f(x2));
        for (var i = 0; i < iterations && hi - lo > 1e-13 * Math.Max(1, Math.Abs(hi)); i++)
        {
            if (f1 < f2)
            {
                lo = x1;
                (x1, f1) = (x2, f2);
                x2 = lo + (InvPhi * (hi - lo));
                f2 = f(x2);
            }
            else
            {
                hi = x2;
                (x2, f2) = (x1, f1);
                x1 = hi - (InvPhi * (hi - lo));
                f1 = f(x1);
            }
        }

        return (lo + hi) / 2;
    }
}

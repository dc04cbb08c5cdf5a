namespace NegotiationHub.Bargaining.Symbiosis;

/// <summary>
/// Adaptive Dormand–Prince 5(4) for y' = f(t, y) (Hairer, Nørsett &amp; Wanner, Solving ODEs I,
/// §II.4–5): fifth-order solution, embedded fourth-order error estimate, first-same-as-last.
/// Steps are clamped to land exactly on each output time, so no interpolation error is added.
/// MathNet.Numerics 5 has only fixed-step Runge–Kutta, hence this class.
/// </summary>
internal sealed class DormandPrince45
{
    // Butcher tableau.
    private const double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
    private const double A21 = 1.0 / 5;
    private const double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private const double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private const double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
    private const double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176, A65 = -5103.0 / 18656;
    private const double B1 = 35.0 / 384, B3 = 500.0 / 1113, B4 = 125.0 / 192, B5 = -2187.0 / 6784, B6 = 11.0 / 84;

    // Fifth minus fourth order weights: the local error estimate.
    private const double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200, E6 = 22.0 / 525, E7 = -1.0 / 40;

    private const double Safety = 0.9, MinFactor = 0.2, MaxFactor = 5;

    private readonly Action<double, double[], double[]> _f;
    private readonly int _n;

    /// <param name="f">Writes f(t, y) into its third argument.</param>
    /// <param name="dimension">Length of y.</param>
    public DormandPrince45(Action<double, double[], double[]> f, int dimension)
    {
        _f = f;
        _n = dimension;
    }

    /// <summary>Relative tolerance per component.</summary>
    public required double RelativeTolerance { get; init; }

    /// <summary>Absolute tolerance per component.</summary>
    public required double[] AbsoluteTolerance { get; init; }

    /// <summary>Attempted steps (accepted + rejected) before giving up.</summary>
    public required int MaxSteps { get; init; }

    /// <summary>Stop when |y_i| exceeds this (per component).</summary>
    public required double[] Bound { get; init; }

    /// <summary>Integrates from y(0) = <paramref name="y0"/>, reporting y at each of <paramref name="times"/> (ascending, first = 0).</summary>
    public (TrajectoryStatus Status, List<TrajectoryPoint> Points, double StoppedAt, int Steps) Integrate(double[] y0, double[] times)
    {
        var horizon = times[^1];
        var y = (double[])y0.Clone();
        var points = new List<TrajectoryPoint>(times.Length) { new(0, Array.AsReadOnly((double[])y.Clone())) };
        var k1 = new double[_n];
        _f(0, y, k1);
        if (!k1.All(double.IsFinite))
        {
            return (TrajectoryStatus.NonFinite, points, 0, 0);
        }

        var (k2, k3, k4, k5, k6, k7) = (new double[_n], new double[_n], new double[_n], new double[_n], new double[_n], new double[_n]);
        var stage = new double[_n];
        var next = new double[_n];
        var t = 0.0;
        var h = InitialStep(y, k1, horizon);
        var steps = 0;
        for (var target = 1; target < times.Length; target++)
        {
            var rejectedLast = false;
            while (t < times[target])
            {
                if (steps >= MaxSteps)
                {
                    return (TrajectoryStatus.StepLimitReached, points, t, steps);
                }

                // Below ~16 ulps of t a step no longer advances time meaningfully (also catches h = 0).
                if (h <= 16 * (Math.BitIncrement(t) - t))
                {
                    return (TrajectoryStatus.StepSizeTooSmall, points, t, steps);
                }

                var remaining = times[target] - t;
                var landsOnTarget = h >= remaining;
                var step = landsOnTarget ? remaining : h;
                steps++;

                Stage(stage, y, step, (k1, A21));
                _f(t + (C2 * step), stage, k2);
                Stage(stage, y, step, (k1, A31), (k2, A32));
                _f(t + (C3 * step), stage, k3);
                Stage(stage, y, step, (k1, A41), (k2, A42), (k3, A43));
                _f(t + (C4 * step), stage, k4);
                Stage(stage, y, step, (k1, A51), (k2, A52), (k3, A53), (k4, A54));
                _f(t + (C5 * step), stage, k5);
                Stage(stage, y, step, (k1, A61), (k2, A62), (k3, A63), (k4, A64), (k5, A65));
                _f(t + step, stage, k6);
                Stage(next, y, step, (k1, B1), (k3, B3), (k4, B4), (k5, B5), (k6, B6));
                _f(t + step, next, k7);

                var error = ErrorNorm(y, next, step, k1, k3, k4, k5, k6, k7);
                if (!(error <= 1))
                {
                    // Rejected (or non-finite, e.g. a too-long step into a steep rise): shrink and retry.
                    var shrink = double.IsFinite(error) ? Math.Max(MinFactor, Safety * Math.Pow(error, -0.2)) : MinFactor;
                    h = step * shrink;
                    rejectedLast = true;
                    continue;
                }

                t = landsOnTarget ? times[target] : t + step;
                (y, next) = (next, y);
                (k1, k7) = (k7, k1); // first same as last

                var grow = error == 0 ? MaxFactor : Math.Min(MaxFactor, Math.Max(MinFactor, Safety * Math.Pow(error, -0.2)));
                var proposed = step * (rejectedLast ? Math.Min(1, grow) : grow);

                // A step shortened only to land on an output time says little about the natural step size.
                h = landsOnTarget ? Math.Max(h, proposed) : proposed;
                rejectedLast = false;

                for (var i = 0; i < _n; i++)
                {
                    if (Math.Abs(y[i]) > Bound[i])
                    {
                        return (TrajectoryStatus.BlewUp, points, t, steps);
                    }
                }
            }

            points.Add(new TrajectoryPoint(times[target], Array.AsReadOnly((double[])y.Clone())));
        }

        return (TrajectoryStatus.Completed, points, horizon, steps);
    }

    // Hairer–Wanner's starting step: h ≈ 0.01·|y|/|f|, refined by a second-derivative estimate.
    private double InitialStep(double[] y, double[] f0, double horizon)
    {
        var d0 = Norm(y, y);
        var d1 = Norm(f0, y);
        var h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 * horizon : Math.Min(0.01 * d0 / d1, horizon);
        var y1 = new double[_n];
        var f1 = new double[_n];
        for (var i = 0; i < _n; i++)
        {
            y1[i] = y[i] + (h0 * f0[i]);
        }

        _f(h0, y1, f1);
        for (var i = 0; i < _n; i++)
        {
            f1[i] -= f0[i];
        }

        var d2 = Norm(f1, y) / h0;
        var h1 = !double.IsFinite(d2) ? h0 : Math.Max(d1, d2) <= 1e-15 ? Math.Max(1e-6, h0 * 1e-3) : Math.Pow(0.01 / Math.Max(d1, d2), 0.2);
        return Math.Min(Math.Min(100 * h0, h1), horizon);
    }

    private double Scale(int i, double a, double b) => AbsoluteTolerance[i] + (RelativeTolerance * Math.Max(Math.Abs(a), Math.Abs(b)));

    private double Norm(double[] v, double[] y)
    {
        var sum = 0.0;
        for (var i = 0; i < _n; i++)
        {
            var r = v[i] / Scale(i, y[i], y[i]);
            sum += r * r;
        }

        return Math.Sqrt(sum / _n);
    }

    private double ErrorNorm(double[] y, double[] next, double h, double[] k1, double[] k3, double[] k4, double[] k5, double[] k6, double[] k7)
    {
        var sum = 0.0;
        for (var i = 0; i < _n; i++)
        {
            var e = h * ((E1 * k1[i]) + (E3 * k3[i]) + (E4 * k4[i]) + (E5 * k5[i]) + (E6 * k6[i]) + (E7 * k7[i]));
            var r = e / Scale(i, y[i], next[i]);
            sum += r * r;
        }

        return Math.Sqrt(sum / _n);
    }

    // Explicit loops rather than one generic helper: this is the integrator's inner loop.
    private static void Stage(double[] into, double[] y, double h, (double[] K, double A) t1)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = y[i] + (h * (t1.A * t1.K[i]));
        }
    }

    private static void Stage(double[] into, double[] y, double h, (double[] K, double A) t1, (double[] K, double A) t2)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = y[i] + (h * ((t1.A * t1.K[i]) + (t2.A * t2.K[i])));
        }
    }

    private static void Stage(double[] into, double[] y, double h, (double[] K, double A) t1, (double[] K, double A) t2, (double[] K, double A) t3)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = y[i] + (h * ((t1.A * t1.K[i]) + (t2.A * t2.K[i]) + (t3.A * t3.K[i])));
        }
    }

    private static void Stage(
        double[] into, double[] y, double h, (double[] K, double A) t1, (double[] K, double A) t2, (double[] K, double A) t3, (double[] K, double A) t4)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = y[i] + (h * ((t1.A * t1.K[i]) + (t2.A * t2.K[i]) + (t3.A * t3.K[i]) + (t4.A * t4.K[i])));
        }
    }

    private static void Stage(
        double[] into, double[] y, double h, (double[] K, double A) t1, (double[] K, double A) t2, (double[] K, double A) t3, (double[] K, double A) t4, (double[] K, double A) t5)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = y[i] + (h * ((t1.A * t1.K[i]) + (t2.A * t2.K[i]) + (t3.A * t3.K[i]) + (t4.A * t4.K[i]) + (t5.A * t5.K[i])));
        }
    }
}

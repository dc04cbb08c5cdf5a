using NegotiationHub.Bargaining.Utilities;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Nash;

/// <summary>
/// An asymmetric Nash bargaining problem (MODEL §3): split the pool K among n parties with
/// bargaining powers h, utilities u and disagreement points d. Validated on construction.
/// </summary>
public sealed class NashBargainingProblem
{
    private readonly double[] _powers;
    private readonly Utility[] _utilities;
    private readonly double[] _disagreement;

    /// <summary>Creates and validates the problem.</summary>
    /// <param name="pool">The pool K in [1e−100, 1e100] (<see cref="ModelLimits.MinMagnitude"/>).</param>
    /// <param name="powers">Bargaining powers h_i ≥ 1e−100 summing to 1 (n = 2..16).</param>
    /// <param name="utilities">One utility per party; null means all linear.</param>
    /// <param name="disagreement">Disagreement points d_i ≥ 0 with Σd &lt; K; null means all 0.</param>
    /// <exception cref="ModelValidationException">A rule of MODEL §2–3 is broken; the error names the field.</exception>
    public NashBargainingProblem(
        double pool,
        IReadOnlyList<double>? powers,
        IReadOnlyList<Utility>? utilities = null,
        IReadOnlyList<double>? disagreement = null)
    {
        Pool = Guard.Magnitude(pool, "pool");
        _powers = Guard.SumsToOne(Guard.AllMagnitudes(
            Guard.Count(powers, "powers", ModelLimits.MinParties, ModelLimits.MaxParties), "powers"), "powers");
        var n = _powers.Length;

        _utilities = utilities is null ? Enumerable.Repeat(Utility.Linear, n).ToArray() : Guard.Length(utilities, "utilities", n, "party");
        for (var i = 0; i < n; i++)
        {
            if (_utilities[i] is null)
            {
                throw new ModelValidationException($"utilities[{i}]", "is required");
            }

            // q = (e^(ρ(k−d)) − 1)/ρ overflows a double past ρ·k ≈ 709; keep every q finite.
            if (_utilities[i].Kind == UtilityKind.Exponential && _utilities[i].Parameter!.Value * Pool > MaxExponent)
            {
                throw new ModelValidationException($"utilities[{i}].rho", $"rho × pool must be at most {MaxExponent} (is {Guard.Format(_utilities[i].Parameter!.Value * Pool)}); use a smaller rho or express the pool in larger units");
            }
        }

        _disagreement = disagreement is null ? new double[n] : Guard.AllNonNegative(Guard.Length(disagreement, "disagreement", n, "party"), "disagreement");
        var sum = _disagreement.Sum();
        if (sum >= Pool)
        {
            throw new ModelValidationException("disagreement", $"must sum to less than the pool K = {Guard.Format(Pool)} (sums to {Guard.Format(sum)})");
        }

        DisagreementSum = sum;
    }

    /// <summary>Largest ρ·K allowed for an exponential utility, so that q stays finite.</summary>
    public const double MaxExponent = 700;

    /// <summary>Number of parties n.</summary>
    public int Parties => _powers.Length;

    /// <summary>The pool K.</summary>
    public double Pool { get; }

    /// <summary>Σ d_i, which is below K.</summary>
    public double DisagreementSum { get; }

    /// <summary>Bargaining powers h_i.</summary>
    public IReadOnlyList<double> Powers => _powers;

    /// <summary>Utilities u_i.</summary>
    public IReadOnlyList<Utility> Utilities => _utilities;

    /// <summary>Disagreement points d_i.</summary>
    public IReadOnlyList<double> Disagreement => _disagreement;

    /// <summary>Returns the same problem with other bargaining powers (e.g. after new strength readings).</summary>
    public NashBargainingProblem WithPowers(IReadOnlyList<double> powers) => new(Pool, powers, _utilities, _disagreement);

    /// <summary>
    /// <c>log NP(k) = Σ h_i·ln(u_i(k_i) − u_i(d_i))</c>; −∞ when some party gains nothing (only an
    /// allocation that gives a party exactly d_i: never the NBS, whose every k*_i exceeds d_i).
    /// </summary>
    /// <param name="allocation">An allocation with k_i ≥ d_i.</param>
    public double LogNashProduct(IReadOnlyList<double> allocation)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        var log = 0.0;
        for (var i = 0; i < _powers.Length; i++)
        {
            var gain = _utilities[i].Gain(allocation[i], _disagreement[i]);
            if (!(gain > 0))
            {
                return double.NegativeInfinity;
            }

            log += _powers[i] * Math.Log(gain);
        }

        return log;
    }

    internal double PowerAt(int i) => _powers[i];

    internal Utility UtilityAt(int i) => _utilities[i];

    internal double DisagreementAt(int i) => _disagreement[i];
}

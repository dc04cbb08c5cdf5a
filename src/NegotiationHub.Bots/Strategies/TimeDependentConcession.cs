namespace NegotiationHub.Bots.Strategies;

/// <summary>
/// The time-dependent tactics of Faratin, Sierra and Jennings (1998): the demand moves from an
/// initial one toward a reservation one as the rounds run out,
/// <c>D(r) = I − (I − R)·(t)^(1/β)</c> with <c>t = (r − 1)/(T − 1)</c> clamped to [0, 1], so round 1
/// bids I and round T (the deadline) bids R. β &lt; 1 is <em>Boulware</em> (holds firm and concedes
/// at the end), β &gt; 1 is <em>conceder</em> (gives ground early), β = 1 is linear.
/// </summary>
/// <remarks>
/// The reservation defaults to the disagreement point d_i. Since the server requires Σ d_i &lt; K,
/// a session whose parties all play time-dependent tactics with the same deadline T is compatible
/// by round T at the latest: it always reaches agreement. A demand is never raised again (if the
/// server auto-conceded the party below its curve, it keeps the lower demand).
/// </remarks>
public sealed class TimeDependentConcession : IConcessionStrategy
{
    /// <summary>β of the command line's <c>boulware</c>: concedes late.</summary>
    public const double DefaultBoulwareBeta = 0.3;

    /// <summary>β of the command line's <c>conceder</c>: concedes early.</summary>
    public const double DefaultConcederBeta = 3;

    /// <summary>Creates the tactic.</summary>
    /// <param name="beta">β &gt; 0, the concession exponent.</param>
    /// <param name="deadline">T ≥ 1, the round by which the reservation demand is reached.</param>
    /// <param name="initial">I as a fraction of [d_i, K]; 1 (the default) opens by asking for the whole pool.</param>
    /// <param name="reservation">R as a fraction of [d_i, K]; 0 (the default) ends at d_i. Must not exceed <paramref name="initial"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range.</exception>
    public TimeDependentConcession(double beta, int deadline = 10, double initial = 1, double reservation = 0)
    {
        if (!(beta > 0 && double.IsFinite(beta)))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "β must be a finite number > 0.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(deadline, 1);
        Beta = beta;
        Deadline = deadline;
        Initial = CheckFraction(initial, nameof(initial));
        Reservation = CheckFraction(reservation, nameof(reservation));
        if (Reservation > Initial)
        {
            throw new ArgumentOutOfRangeException(nameof(reservation), reservation, "The reservation must not exceed the initial demand.");
        }
    }

    /// <inheritdoc />
    public string Name => Beta < 1 ? "boulware" : Beta > 1 ? "conceder" : "linear";

    /// <summary>β, the concession exponent.</summary>
    public double Beta { get; }

    /// <summary>T, the round at which the reservation demand is bid.</summary>
    public int Deadline { get; }

    /// <summary>I, the opening demand, as a fraction of [d_i, K].</summary>
    public double Initial { get; }

    /// <summary>R, the final demand, as a fraction of [d_i, K].</summary>
    public double Reservation { get; }

    /// <summary>A Boulware tactic (β &lt; 1).</summary>
    public static TimeDependentConcession Boulware(double beta = DefaultBoulwareBeta, int deadline = 10, double initial = 1) =>
        beta < 1 ? new(beta, deadline, initial) : throw new ArgumentOutOfRangeException(nameof(beta), beta, "A Boulware β is < 1.");

    /// <summary>A conceder tactic (β &gt; 1).</summary>
    public static TimeDependentConcession Conceder(double beta = DefaultConcederBeta, int deadline = 10, double initial = 1) =>
        beta > 1 ? new(beta, deadline, initial) : throw new ArgumentOutOfRangeException(nameof(beta), beta, "A conceder β is > 1.");

    /// <summary>α(t) = t^(1/β), the fraction of the way from I to R conceded by round <paramref name="round"/>.</summary>
    public double Conceded(int round)
    {
        var t = Deadline == 1 ? 1 : Math.Clamp((round - 1) / (double)(Deadline - 1), 0, 1);
        return Math.Pow(t, 1 / Beta);
    }

    /// <inheritdoc />
    public double NextDemand(BargainingPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        var range = position.Pool - position.DisagreementPoint;
        var initial = position.DisagreementPoint + (Initial * range);
        var reservation = position.DisagreementPoint + (Reservation * range);
        var demand = initial - ((initial - reservation) * Conceded(position.Round));
        return position.Feasible(Math.Min(demand, position.LastDemand ?? demand));
    }

    /// <summary>Checks a fraction of the feasible range lies in [0, 1].</summary>
    internal static double CheckFraction(double value, string name) =>
        value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(name, value, "must lie in [0, 1] (a fraction of the range [d_i, K]).");
}

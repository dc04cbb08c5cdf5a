namespace NegotiationHub.Bots.Strategies;

/// <summary>The knobs of the strategies on the command line; each strategy reads the ones it has.</summary>
public sealed record StrategySettings
{
    /// <summary>λ of <c>toward-nbs</c> (default 0.5).</summary>
    public double Lambda { get; init; } = 0.5;

    /// <summary>β of <c>boulware</c>/<c>conceder</c>; null takes the tactic's default (0.3 / 3).</summary>
    public double? Beta { get; init; }

    /// <summary>T of <c>boulware</c>/<c>conceder</c>: the round by which the reservation demand is bid (default 10).</summary>
    public int Deadline { get; init; } = 10;

    /// <summary>The opening demand as a fraction of [d_i, K] (default 1: the whole pool).</summary>
    public double Opening { get; init; } = 1;
}

/// <summary>Makes a strategy from its command-line name.</summary>
public static class ConcessionStrategies
{
    /// <summary>The names <see cref="Create"/> knows.</summary>
    public static readonly IReadOnlyList<string> Names = ["toward-nbs", "boulware", "conceder", "hardliner"];

    /// <summary>The strategy called <paramref name="name"/> with <paramref name="settings"/>.</summary>
    /// <exception cref="ArgumentException">No strategy has that name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside the strategy's range (e.g. a Boulware β ≥ 1).</exception>
    public static IConcessionStrategy Create(string name, StrategySettings? settings = null)
    {
        var s = settings ?? new StrategySettings();
        return name switch
        {
            "toward-nbs" => new TowardNashConcession(s.Lambda, opening: s.Opening),
            "boulware" => TimeDependentConcession.Boulware(s.Beta ?? TimeDependentConcession.DefaultBoulwareBeta, s.Deadline, s.Opening),
            "conceder" => TimeDependentConcession.Conceder(s.Beta ?? TimeDependentConcession.DefaultConcederBeta, s.Deadline, s.Opening),
            "hardliner" => new HardLineConcession(s.Opening),
            _ => throw new ArgumentException($"Unknown strategy '{name}'; use one of {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}

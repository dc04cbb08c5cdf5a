namespace NegotiationHub.Bots.Strategies;

/// <summary>
/// How a party concedes from round to round: a pure function of its <see cref="BargainingPosition"/>
/// (no clock, no I/O, no randomness), so a strategy is tested without a server and a bot's bids
/// are reproducible.
/// </summary>
public interface IConcessionStrategy
{
    /// <summary>The strategy's name on the command line (<c>toward-nbs</c>, <c>boulware</c>, …).</summary>
    string Name { get; }

    /// <summary>The demand D_i to bid; always within [d_i, K] of <paramref name="position"/>.</summary>
    /// <param name="position">What the party knows before bidding.</param>
    double NextDemand(BargainingPosition position);
}

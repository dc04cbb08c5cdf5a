using NegotiationHub.Bots.Strategies;

namespace NegotiationHub.Server.Tests.Bots;

/// <summary>The strategies as pure functions: seeded random positions, the properties each one promises.</summary>
public sealed class ConcessionStrategyTests
{
    private const int Cases = 500;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Toward_NBS_shrinks_the_distance_to_the_target_by_one_minus_lambda_each_round(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < Cases; n++)
        {
            var position = RandomPosition(random);
            var lambda = 0.01 + (0.99 * random.NextDouble());
            var strategy = new TowardNashConcession(lambda, settleWithin: 0);
            var next = strategy.NextDemand(position);
            var before = Math.Abs(position.LastDemand!.Value - position.Target!.Value);
            Assert.Equal((1 - lambda) * before, Math.Abs(next - position.Target.Value), 1e-9 * position.Pool);
            // It moves toward the target, never past it.
            Assert.True(Math.Sign(next - position.Target.Value) * Math.Sign(position.LastDemand.Value - position.Target.Value) >= 0);
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Toward_NBS_repeated_approaches_geometrically_and_settles_a_hair_under_the_target(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 100; n++)
        {
            var start = RandomPosition(random);
            var lambda = 0.1 + (0.9 * random.NextDouble());
            var strategy = new TowardNashConcession(lambda);
            var target = start.Target!.Value;
            var demand = start.LastDemand!.Value;
            var initialDistance = Math.Abs(demand - target);
            var round = 0;
            while (demand != target - (TowardNashConcession.SettlementMargin * start.Pool) && demand != start.DisagreementPoint && round < 1000)
            {
                round++;
                demand = strategy.NextDemand(start with { Round = round + 1, LastDemand = demand });
                var distance = Math.Abs(demand - target);
                var geometric = Math.Pow(1 - lambda, round) * initialDistance;
                Assert.True(distance <= geometric + (1e-9 * start.Pool), $"round {round}: distance {distance} > (1−λ)^n·d₀ = {geometric}");
            }

            // Settled within the rounds the geometric bound needs to come within SettleWithin·K.
            var needed = initialDistance <= strategy.SettleWithin * start.Pool ? 1 : (int)Math.Ceiling(Math.Log(strategy.SettleWithin * start.Pool / initialDistance) / Math.Log(1 - lambda)) + 1;
            Assert.True(round <= Math.Max(needed, 1), $"settled after {round} rounds, expected ≤ {needed}");
            Assert.True(demand <= target, "a settled demand never exceeds the target, so Σ D ≤ Σ k* = K");
        }
    }

    [Fact]
    public void Toward_NBS_opens_with_the_whole_pool_before_any_target_is_known()
    {
        var strategy = new TowardNashConcession();
        Assert.Equal(100, strategy.NextDemand(new BargainingPosition { Round = 1, Pool = 100, DisagreementPoint = 5 }));
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void Time_dependent_tactics_are_monotone_and_bid_the_reservation_at_the_deadline(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < Cases; n++)
        {
            var boulware = random.Next(2) == 0;
            var beta = boulware ? 0.05 + (0.9 * random.NextDouble()) : 1.05 + (9 * random.NextDouble());
            var deadline = random.Next(1, 30);
            var strategy = boulware ? TimeDependentConcession.Boulware(beta, deadline) : TimeDependentConcession.Conceder(beta, deadline);
            var pool = 1 + (1000 * random.NextDouble());
            var d = pool * 0.2 * random.NextDouble();
            double? last = null;
            for (var round = 1; round <= deadline + 3; round++)
            {
                var demand = strategy.NextDemand(new BargainingPosition { Round = round, Pool = pool, DisagreementPoint = d, LastDemand = last });
                Assert.InRange(demand, d, pool);
                if (last is { } previous)
                {
                    Assert.True(demand <= previous, $"round {round}: {demand} > {previous}");
                }

                if (round == 1 && deadline > 1)
                {
                    Assert.Equal(pool, demand, 1e-9 * pool);
                }

                if (round >= deadline)
                {
                    Assert.Equal(d, demand, 1e-9 * pool);
                }

                last = demand;
            }
        }
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void Boulware_holds_firmer_than_conceder_before_the_deadline(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < Cases; n++)
        {
            var deadline = random.Next(3, 30);
            var round = random.Next(2, deadline);
            var position = new BargainingPosition { Round = round, Pool = 100, DisagreementPoint = 0 };
            var boulware = TimeDependentConcession.Boulware(0.05 + (0.9 * random.NextDouble()), deadline).NextDemand(position);
            var conceder = TimeDependentConcession.Conceder(1.05 + (9 * random.NextDouble()), deadline).NextDemand(position);
            Assert.True(boulware > conceder, $"round {round} of {deadline}: Boulware {boulware} ≤ conceder {conceder}");
        }
    }

    [Fact]
    public void A_Boulware_beta_is_below_one_and_a_conceder_beta_above()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeDependentConcession.Boulware(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeDependentConcession.Conceder(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeDependentConcession(0));
        Assert.Equal("boulware", TimeDependentConcession.Boulware().Name);
        Assert.Equal("conceder", TimeDependentConcession.Conceder().Name);
    }

    [Theory]
    [InlineData(41)]
    [InlineData(42)]
    public void Hard_liner_never_concedes_below_its_first_demand(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < Cases; n++)
        {
            var strategy = new HardLineConcession(random.NextDouble());
            var start = RandomPosition(random);
            var first = strategy.NextDemand(start with { Round = 1, LastDemand = null, Target = null });
            for (var round = 2; round < 20; round++)
            {
                var position = start with { Round = round, LastDemand = start.DisagreementPoint + (random.NextDouble() * (start.Pool - start.DisagreementPoint)) };
                Assert.True(strategy.NextDemand(position) >= first);
            }
        }
    }

    [Theory]
    [InlineData(51)]
    public void Every_strategy_bids_within_the_disagreement_point_and_the_pool(int seed)
    {
        var random = new Random(seed);
        foreach (var name in ConcessionStrategies.Names)
        {
            var strategy = ConcessionStrategies.Create(name, new StrategySettings { Lambda = 0.7, Deadline = 5 });
            for (var n = 0; n < Cases; n++)
            {
                var position = RandomPosition(random) with { Round = random.Next(1, 12) };
                Assert.InRange(strategy.NextDemand(position), position.DisagreementPoint, position.Pool);
            }
        }
    }

    [Fact]
    public void An_unknown_strategy_name_is_refused_with_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => ConcessionStrategies.Create("tit-for-tat"));
        Assert.Contains("toward-nbs", error.Message, StringComparison.Ordinal);
    }

    /// <summary>K in (1, 1001), d in [0, K/5), target and last demand anywhere in [d, K].</summary>
    private static BargainingPosition RandomPosition(Random random)
    {
        var pool = 1 + (1000 * random.NextDouble());
        var d = pool * 0.2 * random.NextDouble();
        return new BargainingPosition
        {
            Round = random.Next(2, 20),
            Pool = pool,
            DisagreementPoint = d,
            LastDemand = d + (random.NextDouble() * (pool - d)),
            Target = d + (random.NextDouble() * (pool - d)),
        };
    }
}

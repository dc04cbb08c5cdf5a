using NegotiationHub.Bargaining.Revisions;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Revisions;

public class ContractRevisionTests
{
    public static TheoryData<double[], double[], double[], bool, int[]> Cases => new()
    {
        // current, optimum, proposed, valid, offending parties
        { [0.5, 0.3, 0.2], [0.4, 0.3, 0.3], [0.45, 0.3, 0.25], true, [] },
        { [0.5, 0.3, 0.2], [0.4, 0.3, 0.3], [0.4, 0.3, 0.3], true, [] },   // straight to the optimum
        { [0.5, 0.3, 0.2], [0.4, 0.3, 0.3], [0.5, 0.3, 0.2], true, [] },   // no change
        { [0.5, 0.3, 0.2], [0.4, 0.3, 0.3], [0.35, 0.3, 0.35], false, [0, 2] }, // overshoots
        { [0.5, 0.3, 0.2], [0.4, 0.3, 0.3], [0.45, 0.32, 0.23], false, [1] },   // party 1 moves off its unchanged optimum
        { [0.6, 0.4], [0.5, 0.5], [0.65, 0.35], false, [0, 1] },                // away from the optimum
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_revision_is_valid_only_when_every_share_moves_toward_the_optimum(double[] current, double[] optimum, double[] proposed, bool valid, int[] offending)
    {
        var check = ContractRevision.Check(current, optimum, proposed);

        Assert.Equal(valid, check.Valid);
        Assert.Equal(offending, check.Violations.Select(v => v.Party));
        if (!valid)
        {
            var error = Assert.Throws<ModelValidationException>(() => ContractRevision.RequireValid(current, optimum, proposed));
            Assert.Equal(offending.Select(i => $"proposedShares[{i}]"), error.Errors.Select(e => e.Field));
        }
    }

    [Fact]
    public void Partial_adjustment_is_always_valid_and_converges_geometrically()
    {
        var random = new Random(31337);
        for (var trial = 0; trial < 300; trial++)
        {
            var n = random.Next(2, 17);
            var current = RandomShares(random, n);
            var optimum = RandomShares(random, n);
            var lambda = 0.05 + (0.95 * random.NextDouble());
            var initial = Distance(current, optimum);
            var shares = current;
            for (var period = 1; period <= 20; period++)
            {
                var next = ContractRevision.PartialAdjustment(shares, optimum, lambda);
                Assert.True(ContractRevision.Check(shares, optimum, next).Valid);
                // s' − s* = (1 − λ)(s − s*) ⇒ distance after t periods = (1 − λ)^t · initial.
                Assert.Equal(Math.Pow(1 - lambda, period) * initial, Distance(next, optimum), 1e-9);
                shares = next;
            }
        }
    }

    [Fact]
    public void A_valid_revision_never_increases_any_distance_to_the_optimum()
    {
        var random = new Random(8);
        var checkedValid = 0;
        for (var trial = 0; trial < 2000; trial++)
        {
            var n = random.Next(2, 5);
            var current = RandomShares(random, n);
            var optimum = RandomShares(random, n);
            var proposed = RandomShares(random, n);
            var check = ContractRevision.Check(current, optimum, proposed);
            for (var i = 0; i < n; i++)
            {
                var between = proposed[i] >= Math.Min(current[i], optimum[i]) && proposed[i] <= Math.Max(current[i], optimum[i]);
                Assert.Equal(between, check.Violations.All(v => v.Party != i));
            }

            if (check.Valid)
            {
                checkedValid++;
                Assert.True(check.DistanceAfter <= check.DistanceBefore + 1e-12);
            }
        }

        Assert.True(checkedValid > 0, "some random proposals are valid");
    }

    [Theory]
    [InlineData(new[] { 0.5, 0.6 }, "currentShares")]
    [InlineData(new[] { 1.5, -0.5 }, "currentShares[0]")]
    [InlineData(new[] { 0.5, double.NaN }, "currentShares[1]")]
    public void Invalid_shares_name_the_field(double[] current, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => ContractRevision.PartialAdjustment(current, [0.5, 0.5], 0.5));

        Assert.Equal(field, error.Errors[0].Field);
    }

    [Fact]
    public void Optimum_of_another_length_is_rejected()
    {
        var error = Assert.Throws<ModelValidationException>(() => ContractRevision.Check([0.5, 0.5], [0.2, 0.3, 0.5], [0.5, 0.5]));

        Assert.Equal("optimalShares", error.Errors[0].Field);
    }

    private static double[] RandomShares(Random random, int n)
    {
        var raw = Enumerable.Range(0, n).Select(_ => 0.01 + random.NextDouble()).ToArray();
        return raw.Select(x => x / raw.Sum()).ToArray();
    }

    private static double Distance(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Sum();
}

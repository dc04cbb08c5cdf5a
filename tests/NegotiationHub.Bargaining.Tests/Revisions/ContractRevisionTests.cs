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
}

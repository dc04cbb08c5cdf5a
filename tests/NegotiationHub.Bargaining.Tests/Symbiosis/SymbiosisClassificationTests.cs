using NegotiationHub.Bargaining.Symbiosis;

namespace NegotiationHub.Bargaining.Tests.Symbiosis;

public class SymbiosisClassificationTests
{
    [Theory]
    [InlineData(0.3, 0.5, SymbioticRelation.Mutualism)]
    [InlineData(0.3, 0.0, SymbioticRelation.Commensalism)]
    [InlineData(0.0, 0.3, SymbioticRelation.Commensalism)]
    [InlineData(0.3, -0.5, SymbioticRelation.Parasitism)]
    [InlineData(-0.3, 0.5, SymbioticRelation.Parasitism)]
    [InlineData(-0.3, -0.5, SymbioticRelation.Competition)]
    [InlineData(-0.3, 0.0, SymbioticRelation.Amensalism)]
    [InlineData(0.0, -0.3, SymbioticRelation.Amensalism)]
    [InlineData(0.0, 0.0, SymbioticRelation.Neutralism)]
    [InlineData(1e-300, 1e-300, SymbioticRelation.Mutualism)]
    public void A_pair_is_classified_by_the_signs_of_its_two_effects(double effectOnFirst, double effectOnSecond, SymbioticRelation expected)
    {
        Assert.Equal(expected, LogisticSymbiosis.Classify(effectOnFirst, effectOnSecond));
    }

    [Fact]
    public void Every_pair_of_an_alliance_is_listed_once_in_row_major_order()
    {
        var input = new SymbiosisInput(
            [1, 1, 1],
            [10, 10, 10],
            [[0, 0.2, -0.1], [0.4, 0, 0], [-0.3, 0.5, 0]],
            [1, 1, 1],
            1,
            2);

        var relations = LogisticSymbiosis.Classify(input);

        Assert.Equal(
            [
                new MemberRelation(0, 1, 0.2, 0.4, SymbioticRelation.Mutualism),
                new MemberRelation(0, 2, -0.1, -0.3, SymbioticRelation.Competition),
                new MemberRelation(1, 2, 0, 0.5, SymbioticRelation.Commensalism),
            ],
            relations);
    }
}

using NegotiationHub.Bargaining.Ahp;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Ahp;

public class AhpHierarchyTests
{
    [Fact]
    public void Global_weight_is_criterion_weight_times_local_weight()
    {
        // 0.6·0.5 = 0.3, 0.6·0.5 = 0.3; 0.4·0.25 = 0.1, 0.4·0.75 = 0.3.
        var global = AhpHierarchy.GlobalWeights([0.6, 0.4], [[0.5, 0.5], [0.25, 0.75]]);

        Assert.Equal(0.3, global[0][0], 15);
        Assert.Equal(0.3, global[0][1], 15);
        Assert.Equal(0.1, global[1][0], 15);
        Assert.Equal(0.3, global[1][1], 15);
        Assert.Equal(1, global.SelectMany(g => g).Sum(), 12);
    }

    [Theory]
    [InlineData(new[] { 0.6, 0.3 }, new[] { 0.5, 0.5 }, new[] { 1.0 }, "criterionWeights")]
    [InlineData(new[] { 0.6, 0.4 }, new[] { 0.5, 0.4 }, new[] { 1.0 }, "localWeights[0]")]
    [InlineData(new[] { 0.6, 0.4 }, new[] { 0.5, 0.5 }, new[] { -0.5, 1.5 }, "localWeights[1][0]")]
    [InlineData(new[] { 1.2, -0.2 }, new[] { 1.0 }, new[] { 1.0 }, "criterionWeights[1]")]
    public void Bad_weights_are_rejected_naming_the_field(double[] criteria, double[] local0, double[] local1, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => AhpHierarchy.GlobalWeights(criteria, [local0, local1])).Errors.Single();

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Local_weights_need_one_row_per_criterion()
    {
        var error = Assert.Throws<ModelValidationException>(() => AhpHierarchy.GlobalWeights([0.5, 0.5], [[1.0]])).Errors.Single();

        Assert.Equal("localWeights", error.Field);
    }

    [Fact]
    public void The_cost_template_is_seed_table_2()
    {
        var tree = IndicatorTemplates.CostInputs;

        Assert.Equal(["intangibleInputs", "tangibleInputs"], tree.Criteria.Select(c => c.Id));
        Assert.Equal(["无形资产投入", "有形资产投入"], tree.Criteria.Select(c => c.ChineseName));
        Assert.Equal(
            ["rdStaffCost", "patents", "nonPatentKnowHow", "capital", "infrastructure", "rdEquipment", "production", "productization", "commercialization", "technologyTransfer"],
            tree.Criteria.SelectMany(c => c.Indicators).Select(i => i.Id));
    }

    [Fact]
    public void The_risk_template_is_seed_table_3_with_B1_to_B3_and_C1_to_C10_in_order()
    {
        var tree = IndicatorTemplates.Risks;

        Assert.Equal(["market", "technical", "cooperation"], tree.Criteria.Select(c => c.Id));
        Assert.Equal([3, 3, 4], tree.Criteria.Select(c => c.Indicators.Count));
        Assert.Equal("市场竞争程度", tree.Criteria[0].Indicators[0].ChineseName); // C1
        Assert.Equal("地理位置差异", tree.Criteria[2].Indicators[3].ChineseName); // C10
    }

    [Fact]
    public void Template_ids_are_unique_and_every_name_is_given()
    {
        foreach (var tree in IndicatorTemplates.All)
        {
            var ids = tree.Criteria.Select(c => c.Id).Concat(tree.Criteria.SelectMany(c => c.Indicators).Select(i => i.Id)).ToList();
            Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
            Assert.All(tree.Criteria.SelectMany(c => c.Indicators), i => Assert.False(string.IsNullOrWhiteSpace(i.Name) || string.IsNullOrWhiteSpace(i.ChineseName)));
        }
    }

    [Fact]
    public void A_template_weighs_its_indicators_in_tree_order()
    {
        var weights = IndicatorTemplates.Risks.GlobalWeights([0.5, 0.3, 0.2], [[0.2, 0.3, 0.5], [1.0 / 3, 1.0 / 3, 1.0 / 3], [0.25, 0.25, 0.25, 0.25]]);

        Assert.Equal(10, weights.Count);
        Assert.Equal(("market", "marketCompetition"), (weights[0].CriterionId, weights[0].IndicatorId));
        Assert.Equal(0.5 * 0.2, weights[0].GlobalWeight, 15);
        Assert.Equal(0.2 * 0.25, weights[9].GlobalWeight, 15);
        Assert.Equal(1, weights.Sum(w => w.GlobalWeight), 12);
    }

    [Fact]
    public void A_template_rejects_weights_that_do_not_fit_its_shape()
    {
        var error = Assert.Throws<ModelValidationException>(
            () => IndicatorTemplates.Risks.GlobalWeights([0.5, 0.3, 0.2], [[0.2, 0.3, 0.5], [0.5, 0.5], [0.25, 0.25, 0.25, 0.25]])).Errors.Single();

        Assert.Equal("localWeights[1]", error.Field);
    }
}

using System.Globalization;
using System.Text.Json;

namespace NegotiationHub.Server.Tests.Calculators;

public class AllocationCalculatorsHttpTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Ahp_reproduces_Saatys_published_three_by_three_example()
    {
        // Saaty's textbook matrix: weights ≈ (0.637, 0.258, 0.105), λmax ≈ 3.0385, CR ≈ 0.033 (RI(3) = 0.58).
        var response = await _client.PostJsonAsync("/api/models/ahp", """{"matrix":[[1,3,5],[0.3333333333333333,1,3],[0.2,0.3333333333333333,1]]}""");

        var json = await HttpAssert.OkJsonAsync(response);
        var weights = json.GetProperty("weights").Doubles();
        Assert.Equal(0.637, weights[0], 0.0005);
        Assert.Equal(0.258, weights[1], 0.0005);
        Assert.Equal(0.105, weights[2], 0.0005);
        Assert.Equal(1, weights.Sum(), 12);
        var lambdaMax = json.GetProperty("lambdaMax").GetDouble();
        Assert.Equal(3.0385, lambdaMax, 0.0001);
        Assert.Equal((lambdaMax - 3) / 2, json.GetProperty("ci").GetDouble(), 12);
        Assert.Equal(0.58, json.GetProperty("ri").GetDouble());
        Assert.Equal(0.033, json.GetProperty("cr").GetDouble(), 0.0005);
        Assert.True(json.GetProperty("consistent").GetBoolean());
    }

    [Fact]
    public async Task Ahp_answers_a_cyclic_matrix_with_200_and_consistent_false()
    {
        // A ≻ B ≻ C ≻ A, each by 9: by symmetry w = (⅓, ⅓, ⅓) and λmax = 1 + 9 + 1/9. Every judgement
        // departs from w_i/w_j = 1 by ln 9 (for n = 3 the three departures are always equal), so any
        // of them may be named the worst; each suggests 1.
        var ninth = (1.0 / 9).ToString("R", CultureInfo.InvariantCulture);
        var response = await _client.PostJsonAsync("/api/models/ahp", $$"""{"matrix":[[1,9,{{ninth}}],[{{ninth}},1,9],[9,{{ninth}},1]]}""");

        var json = await HttpAssert.OkJsonAsync(response);
        Assert.False(json.GetProperty("consistent").GetBoolean());
        Assert.All(json.GetProperty("weights").Doubles(), w => Assert.Equal(1.0 / 3, w, 12));
        var lambdaMax = 1 + 9 + (1.0 / 9);
        Assert.Equal(lambdaMax, json.GetProperty("lambdaMax").GetDouble(), 9);
        Assert.Equal((lambdaMax - 3) / 2 / 0.58, json.GetProperty("cr").GetDouble(), 9);

        var worst = json.GetProperty("worstJudgement");
        var (row, column) = (worst.GetProperty("row").GetInt32(), worst.GetProperty("column").GetInt32());
        Assert.Contains((row, column), new[] { (0, 1), (0, 2), (1, 2) });
        Assert.Equal($"matrix[{row}][{column}]", worst.GetProperty("field").GetString());
        Assert.Equal(1, worst.GetProperty("impliedRatio").GetDouble(), 9);
        Assert.Equal(1, worst.GetProperty("suggestedValue").GetDouble());
        Assert.Equal(Math.Log(9), worst.GetProperty("departure").GetDouble(), 9);
    }

    [Fact]
    public async Task Ahp_names_the_one_reversed_judgement_as_the_worst()
    {
        // The consistent matrix of w ∝ (8, 4, 2, 1) with a_03 reversed (1/8 instead of 8): a cycle 0 ≻ 1 ≻ 2 ≻ 3 ≻ 0.
        var response = await _client.PostJsonAsync("/api/models/ahp",
            """{"matrix":[[1,2,4,0.125],[0.5,1,2,4],[0.25,0.5,1,2],[8,0.25,0.5,1]]}""");

        var json = await HttpAssert.OkJsonAsync(response);
        Assert.False(json.GetProperty("consistent").GetBoolean());
        Assert.True(json.GetProperty("cr").GetDouble() >= 0.10);
        var weights = json.GetProperty("weights").Doubles();
        var worst = json.GetProperty("worstJudgement");
        Assert.Equal("matrix[0][3]", worst.GetProperty("field").GetString());
        Assert.Equal(0, worst.GetProperty("row").GetInt32());
        Assert.Equal(3, worst.GetProperty("column").GetInt32());
        Assert.Equal(0.125, worst.GetProperty("value").GetDouble());
        var implied = weights[0] / weights[3];
        Assert.Equal(implied, worst.GetProperty("impliedRatio").GetDouble(), 12);
        Assert.Equal(Math.Abs(Math.Log(0.125 / implied)), worst.GetProperty("departure").GetDouble(), 12);

        // w_0/w_3 ≈ 0.66: the nearest Saaty value in ratio terms is ½.
        Assert.Equal(0.5, worst.GetProperty("suggestedValue").GetDouble());
    }

    [Fact]
    public async Task Ahp_with_indicator_matrices_gives_global_weights_as_criterion_times_local()
    {
        // Consistent matrices: criteria w = (¾, ¼); indicators of criterion 0: (⅔, ⅓); of criterion 1: (⅕, ⅘).
        var response = await _client.PostJsonAsync("/api/models/ahp",
            """{"matrix":[[1,3],[0.3333333333333333,1]],"indicatorMatrices":[[[1,2],[0.5,1]],[[1,0.25],[4,1]]]}""");

        var json = await HttpAssert.OkJsonAsync(response);
        var global = json.GetProperty("globalWeights");
        Assert.Equal([0.75 * 2 / 3, 0.75 / 3], global[0].Doubles(), new RoundedComparer());
        Assert.Equal([0.25 / 5, 0.25 * 4 / 5], global[1].Doubles(), new RoundedComparer());
        var indicators = json.GetProperty("indicators");
        Assert.Equal(2, indicators.GetArrayLength());
        Assert.Equal("indicatorMatrices[1][0][1]", indicators[1].GetProperty("worstJudgement").GetProperty("field").GetString());
        Assert.True(indicators[1].GetProperty("consistent").GetBoolean());
    }

    [Fact]
    public async Task Ahp_without_indicator_matrices_sends_no_hierarchy_fields()
    {
        var json = await HttpAssert.OkJsonAsync(await _client.PostJsonAsync("/api/models/ahp", """{"matrix":[[1,2],[0.5,1]]}"""));

        Assert.False(json.TryGetProperty("indicators", out _));
        Assert.False(json.TryGetProperty("globalWeights", out _));
    }

    [Fact]
    public async Task Gem_of_identical_experts_is_their_normalized_vector()
    {
        // MODEL §6: if all experts agree, the group vector is their common normalized vector.
        var response = await _client.PostJsonAsync("/api/models/gem", """{"scores":[[2,3,5],[2,3,5],[2,3,5]]}""");

        var json = await HttpAssert.OkJsonAsync(response);
        var weights = json.GetProperty("weights").Doubles();
        Assert.Equal(0.2, weights[0], 12);
        Assert.Equal(0.3, weights[1], 12);
        Assert.Equal(0.5, weights[2], 12);
        Assert.Equal(1, json.GetProperty("agreement").GetDouble(), 12);
    }

    [Fact]
    public async Task Gem_of_dissenting_experts_reports_agreement_below_one()
    {
        var json = await HttpAssert.OkJsonAsync(await _client.PostJsonAsync("/api/models/gem", """{"scores":[[9,1],[1,9]]}"""));

        // Symmetric dissent: XᵀX = [[82,18],[18,82]], λ1 = 100, trace 164 ⇒ w = (½, ½), agreement 100/164.
        Assert.Equal([0.5, 0.5], json.GetProperty("weights").Doubles().Select(w => Math.Round(w, 12)));
        Assert.Equal(100.0 / 164, json.GetProperty("agreement").GetDouble(), 12);
    }

    [Fact]
    public async Task Effort_game_for_two_parties_matches_the_closed_form()
    {
        double d1 = 0.6, b1 = 1.0, d2 = 0.5, b2 = 2.0, p0 = 10;
        var response = await _client.PostJsonAsync("/api/models/effort-game",
            """{"contributions":[0.6,0.5],"costCoefficients":[1,2],"fixedCosts":[1,2],"baseOutput":10}""");

        var json = await HttpAssert.OkJsonAsync(response);
        var optimum = json.GetProperty("optimum");
        var shares = optimum.GetProperty("shares").Doubles();

        // MODEL §7a: t1* = d1²(b2 − d2²) / (d1²(b2 − d2²) + d2²(b1 − d1²)).
        var t1 = d1 * d1 * (b2 - (d2 * d2)) / ((d1 * d1 * (b2 - (d2 * d2))) + (d2 * d2 * (b1 - (d1 * d1))));
        Assert.Equal(t1, shares[0], 12);
        Assert.Equal(1 - t1, shares[1], 12);

        // Stage 2 at t*: S = 1/(1 − Σ t w), a_i = t_i d_i S / b_i, P = X + X²/2 + P0, C_i = C0_i + b_i a_i²/2.
        double[] t = [t1, 1 - t1];
        var s = 1 / (1 - (t[0] * d1 * d1 / b1) - (t[1] * d2 * d2 / b2));
        double[] a = [t[0] * d1 * s / b1, t[1] * d2 * s / b2];
        var x = (a[0] * d1) + (a[1] * d2);
        var output = x + (x * x / 2) + p0;
        double[] costs = [1 + (b1 * a[0] * a[0] / 2), 2 + (b2 * a[1] * a[1] / 2)];
        Assert.Equal(s, optimum.GetProperty("effortMultiplier").GetDouble(), 12);
        Assert.Equal(a[0], optimum.GetProperty("efforts")[0].GetDouble(), 12);
        Assert.Equal(a[1], optimum.GetProperty("efforts")[1].GetDouble(), 12);
        Assert.Equal(output, optimum.GetProperty("output").GetDouble(), 12);
        Assert.Equal(costs[0], optimum.GetProperty("costs")[0].GetDouble(), 12);
        Assert.Equal((t[1] * output) - costs[1], optimum.GetProperty("payoffs")[1].GetDouble(), 12);
        Assert.Equal(output - costs.Sum(), optimum.GetProperty("totalValue").GetDouble(), 12);
        Assert.All(optimum.GetProperty("kktResiduals").Doubles(), r => Assert.InRange(r, 0, 1e-9));
        Assert.InRange(optimum.GetProperty("relativeKktResidual").GetDouble(), 0, 1e-12);
        Assert.Equal([d1 * d1 / b1, d2 * d2 / b2], json.GetProperty("effortWeights").Doubles());
        Assert.False(json.TryGetProperty("atShares", out _));
    }

    [Fact]
    public async Task Effort_game_evaluates_given_shares_below_the_optimum()
    {
        var json = await HttpAssert.OkJsonAsync(await _client.PostJsonAsync("/api/models/effort-game",
            """{"contributions":[0.6,0.5,0.3,0.2],"costCoefficients":[1,2,1,1],"shares":[0.25,0.25,0.25,0.25]}"""));

        var at = json.GetProperty("atShares");
        Assert.Equal([0.25, 0.25, 0.25, 0.25], at.GetProperty("shares").Doubles());
        var optimum = json.GetProperty("optimum");
        Assert.True(optimum.GetProperty("totalValue").GetDouble() > at.GetProperty("totalValue").GetDouble());
        Assert.Equal(1, optimum.GetProperty("shares").Doubles().Sum(), 12);

        // The n ≥ 3 optimum: t_i* = max(0, 1 − ρ_i/θ), ρ_i = b_i/d_i² − 1, Σ_i max(0, θ − ρ_i) = θ.
        // ρ = (1.778, 7, 10.111, 24): with the first two active θ = 8.778 < 10.111, so t3* = t4* = 0.
        double[] rho = [(1 / 0.36) - 1, (2 / 0.25) - 1, (1 / 0.09) - 1, (1 / 0.04) - 1];
        var theta = rho[0] + rho[1];
        var expected = rho.Select(r => Math.Max(0, 1 - (r / theta))).ToArray();
        Assert.Equal(expected, optimum.GetProperty("shares").Doubles(), new RoundedComparer());
    }

    [Fact]
    public async Task Cost_allocation_compounds_earlier_stages()
    {
        // m = 2, r = 0.1: stage 1 counts 1.1², stage 2 counts 1.1.
        var response = await _client.PostJsonAsync("/api/models/cost-allocation",
            """{"costs":[[[100,20],[50,0]],[[80,10],[120,5]]],"contributionDegrees":[[[1,0.5],[0.8,1]],[[0.5,1],[1,0.2]]],"rate":0.1,"pool":1000}""");

        var json = await HttpAssert.OkJsonAsync(response);
        var v0 = (((100 * 1) + (20 * 0.5)) * 1.21) + (((50 * 0.8) + 0) * 1.1);
        var v1 = (((80 * 0.5) + (10 * 1)) * 1.21) + (((120 * 1) + (5 * 0.2)) * 1.1);
        var values = json.GetProperty("values").Doubles();
        Assert.Equal(v0, values[0], 9);
        Assert.Equal(v1, values[1], 9);
        Assert.Equal(v0 / (v0 + v1), json.GetProperty("shares")[0].GetDouble(), 12);
        Assert.Equal(1000 * v1 / (v0 + v1), json.GetProperty("payouts")[1].GetDouble(), 9);
    }

    [Fact]
    public async Task Risk_allocation_combines_the_three_risks_per_stage()
    {
        var response = await _client.PostJsonAsync("/api/models/risk-allocation",
            """{"marketRisks":[[0.2,0.1],[0.1,0.3]],"technicalRisks":[[0.1,0.2],[0.3,0.1]],"cooperationRisks":[[0.5,0],[0.2,0.1]]}""");

        var json = await HttpAssert.OkJsonAsync(response);
        double[][] r =
        [
            [1 - (0.8 * 0.9 * 0.5), 1 - (0.9 * 0.8 * 1.0)],
            [1 - (0.9 * 0.7 * 0.8), 1 - (0.7 * 0.9 * 0.9)],
        ];
        var total = r.Sum(row => row.Sum());
        Assert.Equal(r[0][0], json.GetProperty("risks")[0][0].GetDouble(), 12);
        Assert.Equal(r[1][1], json.GetProperty("risks")[1][1].GetDouble(), 12);
        Assert.Equal(r[0][1] / (r[0][1] + r[1][1]), json.GetProperty("stageShares")[0][1].GetDouble(), 12);
        Assert.Equal(r[0].Sum() / total, json.GetProperty("shares")[0].GetDouble(), 12);
        Assert.Equal(r[1].Sum() / total, json.GetProperty("shares")[1].GetDouble(), 12);
        Assert.False(json.TryGetProperty("combined", out _));
    }

    [Fact]
    public async Task Risk_allocation_combines_cost_risk_and_effort_shares_with_the_given_lambdas()
    {
        // Equal risks ⇒ v = (½, ½); MODEL §7d: 0.5·ω + 0.3·v + 0.2·t*.
        var response = await _client.PostJsonAsync("/api/models/risk-allocation",
            """{"marketRisks":[[0.2],[0.2]],"technicalRisks":[[0.1],[0.1]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.6,0.4],"effortShares":[0.3,0.7],"lambdaCost":0.5,"lambdaRisk":0.3,"lambdaEffort":0.2}}""");

        var combined = (await HttpAssert.OkJsonAsync(response)).GetProperty("combined");
        var shares = combined.GetProperty("shares").Doubles();
        Assert.Equal((0.5 * 0.6) + (0.3 * 0.5) + (0.2 * 0.3), shares[0], 12);
        Assert.Equal((0.5 * 0.4) + (0.3 * 0.5) + (0.2 * 0.7), shares[1], 12);
        Assert.Equal(0.5, combined.GetProperty("lambdaCost").GetDouble(), 12);
        Assert.Equal(0.3, combined.GetProperty("lambdaRisk").GetDouble(), 12);
        Assert.Equal(0.2, combined.GetProperty("lambdaEffort").GetDouble(), 12);
    }

    [Fact]
    public async Task Risk_allocation_combines_with_equal_thirds_by_default()
    {
        var response = await _client.PostJsonAsync("/api/models/risk-allocation",
            """{"marketRisks":[[0.2],[0.2]],"technicalRisks":[[0.1],[0.1]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.6,0.4],"effortShares":[0.3,0.7]}}""");

        var combined = (await HttpAssert.OkJsonAsync(response)).GetProperty("combined");
        Assert.Equal((0.6 + 0.5 + 0.3) / 3, combined.GetProperty("shares")[0].GetDouble(), 12);
        Assert.Equal(1.0 / 3, combined.GetProperty("lambdaEffort").GetDouble(), 12);
    }

    [Fact]
    public async Task Risk_allocation_takes_the_lambdas_from_a_consistent_three_by_three_ahp()
    {
        // The consistent matrix of (½, ¼, ¼): its eigenvector is exactly those weights.
        var response = await _client.PostJsonAsync("/api/models/risk-allocation",
            """{"marketRisks":[[0.2],[0.2]],"technicalRisks":[[0.1],[0.1]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.6,0.4],"effortShares":[0.3,0.7],"matrix":[[1,2,2],[0.5,1,1],[0.5,1,1]]}}""");

        var combined = (await HttpAssert.OkJsonAsync(response)).GetProperty("combined");
        Assert.Equal(0.5, combined.GetProperty("lambdaCost").GetDouble(), 12);
        Assert.Equal(0.25, combined.GetProperty("lambdaRisk").GetDouble(), 12);
        Assert.Equal((0.5 * 0.6) + (0.25 * 0.5) + (0.25 * 0.3), combined.GetProperty("shares")[0].GetDouble(), 12);
    }

    [Fact]
    public async Task Templates_list_the_cost_and_risk_indicator_trees()
    {
        var json = await HttpAssert.OkJsonAsync(await _client.GetAsync("/api/models/templates"));

        Assert.Equal(["costInputs", "risks"], json.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var risks = json[1].GetProperty("criteria");
        Assert.Equal(["market", "technical", "cooperation"], risks.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(4, risks[2].GetProperty("indicators").GetArrayLength());
        Assert.Equal("信任度", risks[2].GetProperty("indicators")[2].GetProperty("chineseName").GetString());
    }

    [Theory]
    [InlineData("ahp", """{"matrix":[[1,"NaN"],[1,1]]}""", "matrix[0][1]")]
    [InlineData("ahp", """{"matrix":[[1,"Infinity"],[0,1]]}""", "matrix[0][1]")]
    [InlineData("ahp", """{"matrix":[[1,-2],[-0.5,1]]}""", "matrix[0][1]")]
    [InlineData("ahp", """{"matrix":[[1,0],[1,1]]}""", "matrix[0][1]")]
    [InlineData("ahp", """{"matrix":[[1,2],[0.4,1]]}""", "matrix[1][0]")]
    [InlineData("ahp", """{"matrix":[[2,2],[0.5,1]]}""", "matrix[0][0]")]
    [InlineData("ahp", """{"matrix":[[1,2],[0.5]]}""", "matrix[1]")]
    [InlineData("ahp", """{"matrix":[[1,2,3],[0.5,1,1]]}""", "matrix[0]")]
    [InlineData("ahp", """{"matrix":[[1,2],null]}""", "matrix[1]")]
    [InlineData("ahp", """{}""", "matrix")]
    [InlineData("ahp", """{"matrix":"9"}""", "matrix")]
    [InlineData("ahp", """{"matrix":[[1,true],[1,1]]}""", "matrix[0][1]")]
    [InlineData("ahp", """{"matrix":[[1,2],[0.5,1]],"indicatorMatrices":[[[1]]]}""", "indicatorMatrices")]
    [InlineData("ahp", """{"matrix":[[1,2],[0.5,1]],"indicatorMatrices":[[[1]],[[1,3],[0.5,1]]]}""", "indicatorMatrices[1][1][0]")]
    [InlineData("ahp", """{"matrix":[[1,2],[0.5,1]],"indicatorMatrices":[[[1]],null]}""", "indicatorMatrices[1]")]
    [InlineData("gem", """{"scores":[[1,2],["NaN",1]]}""", "scores[1][0]")]
    [InlineData("gem", """{"scores":[[1,-2],[1,1]]}""", "scores[0][1]")]
    [InlineData("gem", """{"scores":[[1,2],[1,"-Infinity"]]}""", "scores[1][1]")]
    [InlineData("gem", """{"scores":[[1,2],[1,1,1]]}""", "scores[1]")]
    [InlineData("gem", """{"scores":[[1,2],[0,0]]}""", "scores[1]")]
    [InlineData("gem", """{"scores":[]}""", "scores")]
    [InlineData("gem", """{}""", "scores")]
    [InlineData("gem", """{"scores":[[1,"a"]]}""", "scores[0][1]")]
    [InlineData("effort-game", """{"contributions":[1,0.5],"costCoefficients":[1,1]}""", "costCoefficients[0]")]
    [InlineData("effort-game", """{"contributions":[2,0.5],"costCoefficients":[3,1]}""", "costCoefficients[0]")]
    [InlineData("effort-game", """{"contributions":[0.5,"NaN"],"costCoefficients":[1,1]}""", "contributions[1]")]
    [InlineData("effort-game", """{"contributions":[0.5,-0.5],"costCoefficients":[1,1]}""", "contributions[1]")]
    [InlineData("effort-game", """{"contributions":[0.5,0.5],"costCoefficients":[1,"Infinity"]}""", "costCoefficients[1]")]
    [InlineData("effort-game", """{"contributions":[0.5,0.5],"costCoefficients":[1]}""", "costCoefficients")]
    [InlineData("effort-game", """{"contributions":[0.5],"costCoefficients":[1]}""", "contributions")]
    [InlineData("effort-game", """{"costCoefficients":[1,1]}""", "contributions")]
    [InlineData("effort-game", """{"contributions":[0.5,0.5]}""", "costCoefficients")]
    [InlineData("effort-game", """{"contributions":[0.5,0.5],"costCoefficients":[1,1],"fixedCosts":[0,-1]}""", "fixedCosts[1]")]
    [InlineData("effort-game", """{"contributions":[0.5,0.5],"costCoefficients":[1,1],"fixedCosts":[0]}""", "fixedCosts")]
    [InlineData("effort-game", """{"contributions":[0.5,0.5],"costCoefficients":[1,1],"baseOutput":"Infinity"}""", "baseOutput")]
    [InlineData("effort-game", """{"contributions":[0.5,0.5],"costCoefficients":[1,1],"baseOutput":-1}""", "baseOutput")]
    [InlineData("effort-game", """{"contributions":[0.5,0.5],"costCoefficients":[1,1],"shares":[0.5,0.6]}""", "shares")]
    [InlineData("effort-game", """{"contributions":[0.5,0.5],"costCoefficients":[1,1],"shares":[1]}""", "shares")]
    [InlineData("effort-game", """{"contributions":[0.5,0.5],"costCoefficients":[1,1],"shares":[-0.5,1.5]}""", "shares[0]")]
    [InlineData("effort-game", """{"contributions":"0.5","costCoefficients":[1,1]}""", "contributions")]
    [InlineData("cost-allocation", """{"costs":[[[1]],[[-1]]],"contributionDegrees":[[[1]],[[1]]],"rate":0,"pool":1}""", "costs[1][0][0]")]
    [InlineData("cost-allocation", """{"costs":[[[1]],[[1]]],"contributionDegrees":[[[1]],[["NaN"]]],"rate":0,"pool":1}""", "contributionDegrees[1][0][0]")]
    [InlineData("cost-allocation", """{"costs":[[[1]],[["Infinity"]]],"contributionDegrees":[[[1]],[[1]]],"rate":0,"pool":1}""", "costs[1][0][0]")]
    [InlineData("cost-allocation", """{"costs":[[[1],[2]],[[1]]],"contributionDegrees":[[[1],[1]],[[1],[1]]],"rate":0,"pool":1}""", "costs[1]")]
    [InlineData("cost-allocation", """{"costs":[[[1,2],[2]],[[1,1],[1,1]]],"contributionDegrees":[[[1,1],[1,1]],[[1,1],[1,1]]],"rate":0,"pool":1}""", "costs[0][1]")]
    [InlineData("cost-allocation", """{"costs":[[[1]],[[1]]],"contributionDegrees":[[[1]]],"rate":0,"pool":1}""", "contributionDegrees")]
    [InlineData("cost-allocation", """{"costs":[[[1]],[[1]]],"contributionDegrees":[[[1]],[[1,2]]],"rate":0,"pool":1}""", "contributionDegrees[1][0]")]
    [InlineData("cost-allocation", """{"costs":[[[1]],[[1]]],"contributionDegrees":[[[1]],[[1]]],"rate":2,"pool":1}""", "rate")]
    [InlineData("cost-allocation", """{"costs":[[[1]],[[1]]],"contributionDegrees":[[[1]],[[1]]],"pool":1}""", "rate")]
    [InlineData("cost-allocation", """{"costs":[[[1]],[[1]]],"contributionDegrees":[[[1]],[[1]]],"rate":0}""", "pool")]
    [InlineData("cost-allocation", """{"costs":[[[1]],[[1]]],"contributionDegrees":[[[1]],[[1]]],"rate":0,"pool":-5}""", "pool")]
    [InlineData("cost-allocation", """{"costs":[[[0]],[[1]]],"contributionDegrees":[[[1]],[[0]]],"rate":0,"pool":1}""", "costs")]
    [InlineData("cost-allocation", """{"contributionDegrees":[[[1]],[[1]]],"rate":0,"pool":1}""", "costs")]
    [InlineData("cost-allocation", """{"costs":[[1],[1]],"contributionDegrees":[[[1]],[[1]]],"rate":0,"pool":1}""", "costs[0][0]")]
    [InlineData("risk-allocation", """{"marketRisks":[[1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]]}""", "marketRisks[0][0]")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[-0.1]],"cooperationRisks":[[0],[0]]}""", "technicalRisks[1][0]")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],["NaN"]]}""", "cooperationRisks[1][0]")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1,0.2],[0.1,0.2]],"technicalRisks":[[0,0],[0]],"cooperationRisks":[[0,0],[0,0]]}""", "technicalRisks[1]")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]]}""", "cooperationRisks")]
    [InlineData("risk-allocation", """{"marketRisks":[[0],[0]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]]}""", "marketRisks")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1]],"technicalRisks":[[0]],"cooperationRisks":[[0]]}""", "marketRisks")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.5,0.5],"effortShares":[0.5,0.5],"lambdaCost":0.5,"lambdaRisk":0.5,"lambdaEffort":0.5}}""", "combine.lambdaCost")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.5,0.5],"effortShares":[0.5,0.5],"lambdaCost":0.5,"lambdaRisk":-0.5,"lambdaEffort":1}}""", "combine.lambdaRisk")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.5,0.5],"effortShares":[0.5,0.5],"lambdaCost":0.5,"lambdaRisk":0.5}}""", "combine.lambdaEffort")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.5,0.5],"effortShares":[0.5,0.5],"lambdaCost":"NaN","lambdaRisk":0.5,"lambdaEffort":0.5}}""", "combine.lambdaCost")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.5,0.3,0.2],"effortShares":[0.5,0.5]}}""", "combine.costShares")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.5,0.5],"effortShares":[0.5,0.6]}}""", "combine.effortShares")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]],"combine":{"effortShares":[0.5,0.5]}}""", "combine.costShares")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.5,0.5],"effortShares":[0.5,0.5],"lambdaCost":"x"}}""", "combine.lambdaCost")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.5,0.5],"effortShares":[0.5,0.5],"lambdaCost":1,"matrix":[[1,2,2],[0.5,1,1],[0.5,1,1]]}}""", "combine.matrix")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.5,0.5],"effortShares":[0.5,0.5],"matrix":[[1,2],[0.5,1]]}}""", "combine.matrix")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.5,0.5],"effortShares":[0.5,0.5,0]}}""", "combine.effortShares")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.5,0.5],"effortShares":[0.5,0.5],"matrix":[[1,2,2],[0.5,1,1],[0.5,2,1]]}}""", "combine.matrix[2][1]")]
    public async Task Bad_input_gets_a_400_naming_the_field(string calculator, string body, string field)
    {
        var response = await _client.PostJsonAsync($"/api/models/{calculator}", body);

        await HttpAssert.ValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task A_sixteen_by_sixteen_matrix_is_refused_naming_matrix()
    {
        var rows = Enumerable.Range(0, 16).Select(_ => "[" + string.Join(',', Enumerable.Repeat("1", 16)) + "]");

        var response = await _client.PostJsonAsync("/api/models/ahp", "{\"matrix\":[" + string.Join(',', rows) + "]}");

        var messages = await HttpAssert.ValidationProblemAsync(response, "matrix");
        Assert.Contains("15", messages[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_reciprocal_indicator_matrix_is_described_with_its_own_path()
    {
        var response = await _client.PostJsonAsync("/api/models/ahp",
            """{"matrix":[[1,2],[0.5,1]],"indicatorMatrices":[[[1]],[[1,3],[0.5,1]]]}""");

        var messages = await HttpAssert.ValidationProblemAsync(response, "indicatorMatrices[1][1][0]");
        Assert.Contains("indicatorMatrices[1][0][1]", messages[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inconsistent_lambda_matrix_is_refused_naming_a_judgement()
    {
        // ADR 0001: where AHP weights are used they must be consistent. For n = 3 the three departures
        // are equal, so the judgement named is one of the upper triangle.
        var response = await _client.PostJsonAsync("/api/models/risk-allocation",
            """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.5,0.5],"effortShares":[0.5,0.5],"matrix":[[1,9,0.1111111111111111],[0.1111111111111111,1,9],[9,0.1111111111111111,1]]}}""");

        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        var field = Assert.Single(document.RootElement.GetProperty("errors").EnumerateObject()).Name;
        Assert.Contains(field, new[] { "combine.matrix[0][1]", "combine.matrix[0][2]", "combine.matrix[1][2]" });
        var messages = await HttpAssert.ValidationProblemAsync(response, field);
        Assert.Contains("CR = 6.13", messages[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lambdas_that_do_not_sum_to_one_name_all_three()
    {
        var response = await _client.PostJsonAsync("/api/models/risk-allocation",
            """{"marketRisks":[[0.1],[0.1]],"technicalRisks":[[0],[0]],"cooperationRisks":[[0],[0]],"combine":{"costShares":[0.5,0.5],"effortShares":[0.5,0.5],"lambdaCost":0.2,"lambdaRisk":0.2,"lambdaEffort":0.2}}""");

        await HttpAssert.ValidationProblemAsync(response, "combine.lambdaCost");
        await HttpAssert.ValidationProblemAsync(response, "combine.lambdaRisk");
        await HttpAssert.ValidationProblemAsync(response, "combine.lambdaEffort");
    }

    [Theory]
    [InlineData("ahp", "{\"matrix\": [[1, 2], [0.5")]
    [InlineData("gem", "null")]
    [InlineData("effort-game", "[]")]
    [InlineData("cost-allocation", "42")]
    [InlineData("risk-allocation", "\"x\"")]
    public async Task Malformed_json_gets_a_400_not_a_500(string calculator, string body)
    {
        var response = await _client.PostJsonAsync($"/api/models/{calculator}", body);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("ahp", """{"matrix":[[1,1000000,0.000001],[0.000001,1,1000000],[1000000,0.000001,1]]}""")]
    [InlineData("ahp", """{"matrix":[[1,1000000],[0.000001,1]]}""")]
    [InlineData("gem", """{"scores":[[1e308,5e-324],[5e-324,1e308],[1e-300,0]]}""")]
    [InlineData("effort-game", """{"contributions":[1e150,1e-150],"costCoefficients":[1.0000000000000002e300,1.0000000000000002e-300],"fixedCosts":[1e15,1e15],"baseOutput":1e15}""")]
    [InlineData("effort-game", """{"contributions":[0.9999999999999999,1e-10,0.5],"costCoefficients":[1,1,0.2500000000000001],"shares":[0,1,0]}""")]
    [InlineData("cost-allocation", """{"costs":[[[1e15,1e15],[1e15,1e15]],[[5e-324,0],[0,0]]],"contributionDegrees":[[[1e15,1e15],[1e15,1e15]],[[1e15,0],[0,0]]],"rate":1,"pool":1e15}""")]
    [InlineData("risk-allocation", """{"marketRisks":[[0.9999999999999999],[5e-324]],"technicalRisks":[[0.9999999999999999],[0]],"cooperationRisks":[[0.9999999999999999],[0]],"combine":{"costShares":[1,0],"effortShares":[0,1]}}""")]
    public async Task Extreme_valid_inputs_give_only_finite_numbers(string calculator, string body)
    {
        var response = await _client.PostJsonAsync($"/api/models/{calculator}", body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is 200 or 400, $"got {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        AssertFinite(document.RootElement, "$");
    }

    [Fact]
    public async Task Templates_are_documented_in_openapi()
    {
        var json = await factory.CreateClient().GetStringAsync("/openapi/v1.json");

        using var document = JsonDocument.Parse(json);
        var templates = document.RootElement.GetProperty("paths").GetProperty("/api/models/templates").GetProperty("get");
        Assert.True(templates.GetProperty("responses").TryGetProperty("200", out _));
        Assert.True(templates.GetProperty("responses").TryGetProperty("429", out _));
    }

    private static void AssertFinite(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                Assert.True(double.IsFinite(element.GetDouble()), $"{path} is finite");
                break;
            case JsonValueKind.String:
                // AllowNamedFloatingPointLiterals would write a NaN or ∞ as a string.
                Assert.DoesNotContain(element.GetString(), new[] { "NaN", "Infinity", "-Infinity" });
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    AssertFinite(item, $"{path}[{i++}]");
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    AssertFinite(property.Value, $"{path}.{property.Name}");
                }

                break;
            default:
                break;
        }
    }

    private sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= 1e-12;

        public int GetHashCode(double obj) => 0;
    }
}

public class TemplatesRateLimitTests(TightRateLimitFactory factory) : IClassFixture<TightRateLimitFactory>
{
    [Fact]
    public async Task Templates_answer_429_past_the_calculators_limit()
    {
        var client = factory.CreateClient();
        var statuses = new List<System.Net.HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.GetAsync("/api/models/templates")).StatusCode);
        }

        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(3, statuses.Count(s => s == System.Net.HttpStatusCode.OK));
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace NegotiationHub.Server.Tests.Calculators;

public class AnalysisCalculatorsHttpTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Market = """{"demandIntercept":100,"demandSlope":1,"baseUnitCost":40,"beta":0.6,"gamma":10,"firmCount":2""";
    private const string Alliance = """{"growthRates":[1,0.8],"capacities":[100,80],"delta":[[0,0.3],[0.5,0]],"initial":[10,10],"horizon":20,"points":5""";

    private readonly HttpClient _client = factory.CreateClient();

    // MODEL §8 closed forms for the symmetric R&D level of each regime.
    private static (double NoCooperation, double RndCooperation, double FullCooperation) RndLevels(double a, double b, double capA, double beta, double gamma, int n)
    {
        var theta = n - ((n - 1) * beta);
        var phi = 1 + ((n - 1) * beta);
        var d = b * gamma * (n + 1) * (n + 1);
        return (
            2 * theta * (a - capA) / (d - (2 * theta * phi)),
            2 * phi * (a - capA) / (d - (2 * phi * phi)),
            phi * (a - capA) / ((2 * n * b * gamma) - (phi * phi)));
    }

    [Fact]
    public async Task Spillover_matches_the_d_Aspremont_Jacquemin_closed_forms_for_two_firms()
    {
        var json = await HttpAssert.OkJsonAsync(await _client.PostJsonAsync("/api/models/spillover", Market + "}"));

        // Literal inputs a = 100, b = 1, A = 40, β = 0.6, γ = 10, n = 2: θ = n − (n−1)β = 1.4, φ = 1 + (n−1)β = 1.6.
        const double a = 100, b = 1, capA = 40, beta = 0.6, gamma = 10, n = 2;
        const double theta = n - ((n - 1) * beta), phi = 1 + ((n - 1) * beta), d = b * gamma * (n + 1) * (n + 1);
        var xStar = 2 * theta * (a - capA) / (d - (2 * theta * phi));
        var xTilde = 2 * phi * (a - capA) / (d - (2 * phi * phi));
        var xHat = phi * (a - capA) / ((2 * n * b * gamma) - (phi * phi));
        Assert.Equal(theta, json.GetProperty("theta").GetDouble(), 12);
        Assert.Equal(phi, json.GetProperty("phi").GetDouble(), 12);
        Assert.Equal(0.5, json.GetProperty("rndCooperationThreshold").GetDouble());
        Assert.Equal(7.0 / 17, json.GetProperty("fullCooperationThreshold").GetDouble(), 12); // (3n+1)/(n²+6n+1)
        Assert.Equal(JsonValueKind.Null, json.GetProperty("sweep").ValueKind);

        var regimes = json.GetProperty("regimes").EnumerateArray().ToArray();
        Assert.Equal(["noCooperation", "rndCooperation", "fullCooperation"], regimes.Select(r => r.GetProperty("regime").GetString()));
        foreach (var (regime, x) in regimes.Zip([xStar, xTilde, xHat]))
        {
            Assert.True(regime.GetProperty("valid").GetBoolean());
            Assert.Empty(regime.GetProperty("flags").EnumerateArray());
            var cost = capA - (phi * x);
            var total = regime.GetProperty("regime").GetString() == "fullCooperation" ? (a - cost) / (2 * b) : n * (a - cost) / (b * (n + 1));
            var price = a - (b * total);
            var profit = ((price - cost) * total / n) - (gamma * x * x / 2);
            var surplus = b * total * total / 2;
            Assert.Equal(x, regime.GetProperty("rndLevel").GetDouble(), 10);
            Assert.Equal(total / n, regime.GetProperty("outputPerFirm").GetDouble(), 10);
            Assert.Equal(total, regime.GetProperty("totalOutput").GetDouble(), 10);
            Assert.Equal(price, regime.GetProperty("price").GetDouble(), 10);
            Assert.Equal(cost, regime.GetProperty("unitCost").GetDouble(), 10);
            Assert.Equal(profit, regime.GetProperty("profitPerFirm").GetDouble(), 8);
            Assert.Equal(surplus, regime.GetProperty("consumerSurplus").GetDouble(), 8);
            Assert.Equal(surplus + (n * profit), regime.GetProperty("welfare").GetDouble(), 8);
        }

        // β = 0.6 lies above both thresholds: x̃ > x*, x̂ > x*, and x̂ > x̃ always.
        Assert.True(xTilde > xStar && xHat > xStar && xHat > xTilde);
        Assert.False(regimes[1].GetProperty("unevenRndMoreProfitable").GetBoolean()); // bγ = 10 > 2(1−β)²
        Assert.True(regimes[2].GetProperty("unevenRndMoreProfitable").GetBoolean()); // β < 1
    }

    [Fact]
    public async Task Spillover_uses_the_general_n_formulas()
    {
        var json = await HttpAssert.OkJsonAsync(await _client.PostJsonAsync("/api/models/spillover",
            """{"demandIntercept":50,"demandSlope":2,"baseUnitCost":20,"beta":0.25,"gamma":3,"firmCount":5}"""));

        var expected = RndLevels(50, 2, 20, 0.25, 3, 5);
        var levels = json.GetProperty("regimes").EnumerateArray().Select(r => r.GetProperty("rndLevel").GetDouble()).ToArray();
        Assert.Equal(expected.NoCooperation, levels[0], 10);
        Assert.Equal(expected.RndCooperation, levels[1], 10);
        Assert.Equal(expected.FullCooperation, levels[2], 10);
        Assert.Equal(16.0 / 56, json.GetProperty("fullCooperationThreshold").GetDouble(), 12); // (3·5+1)/(25+30+1)
    }

    [Fact]
    public async Task Spillover_sweeps_beta_from_0_to_1_as_parallel_series()
    {
        var json = await HttpAssert.OkJsonAsync(await _client.PostJsonAsync("/api/models/spillover", Market + ""","betaPoints":5}"""));

        var sweep = json.GetProperty("sweep");
        Assert.Equal([0, 0.25, 0.5, 0.75, 1], sweep.GetProperty("beta").Doubles());
        var series = new[] { "noCooperation", "rndCooperation", "fullCooperation" }.Select(s => sweep.GetProperty(s).Doubles()).ToArray();
        Assert.All(series, s => Assert.Equal(5, s.Length));
        for (var k = 0; k < 5; k++)
        {
            var expected = RndLevels(100, 1, 40, k / 4.0, 10, 2);
            Assert.Equal(expected.NoCooperation, series[0][k], 10);
            Assert.Equal(expected.RndCooperation, series[1][k], 10);
            Assert.Equal(expected.FullCooperation, series[2][k], 10);
        }

        // At β = 1/2, θ = φ, so no cooperation and R&D cooperation coincide.
        Assert.Equal(series[0][2], series[1][2], 12);
    }

    [Fact]
    public async Task Spillover_flags_invalid_regions_and_leaves_gaps_in_the_sweep()
    {
        // γ = 0.1 makes every denominator negative (bγ(n+1)² = 0.9 < 2θφ = 4.5 at β = ½).
        var json = await HttpAssert.OkJsonAsync(await _client.PostJsonAsync("/api/models/spillover",
            """{"demandIntercept":100,"demandSlope":1,"baseUnitCost":40,"beta":0.5,"gamma":0.1,"firmCount":2,"betaPoints":3}"""));

        foreach (var regime in json.GetProperty("regimes").EnumerateArray())
        {
            Assert.False(regime.GetProperty("valid").GetBoolean());
            var flags = regime.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToArray();
            Assert.Contains("nonPositiveDenominator", flags);
            Assert.Contains("secondOrderConditionFails", flags);
        }

        Assert.All(json.GetProperty("sweep").GetProperty("noCooperation").EnumerateArray(), v => Assert.Equal(JsonValueKind.Null, v.ValueKind));
    }

    [Fact]
    public async Task Spillover_reports_overflow_as_null_figures_never_NaN_or_infinity()
    {
        var response = await _client.PostJsonAsync("/api/models/spillover",
            """{"demandIntercept":1e308,"demandSlope":1e-300,"baseUnitCost":1,"beta":0.5,"gamma":1e-300,"firmCount":1000,"betaPoints":3}""");

        var json = await HttpAssert.OkJsonAsync(response);
        AssertFiniteJson(await response.Content.ReadAsStringAsync());
        foreach (var regime in json.GetProperty("regimes").EnumerateArray())
        {
            Assert.Contains("notRepresentable", regime.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
            Assert.Equal(JsonValueKind.Null, regime.GetProperty("rndLevel").ValueKind);
            Assert.Equal(JsonValueKind.Null, regime.GetProperty("welfare").ValueKind);
        }
    }

    [Fact]
    public async Task Symbiosis_matches_the_two_member_closed_form_and_returns_a_chartable_trajectory()
    {
        var json = await HttpAssert.OkJsonAsync(await _client.PostJsonAsync("/api/models/symbiosis", Alliance + "}"));

        // Q1* = N1(1+δ1)/(1−δ1δ2), Q2* = N2(1+δ2)/(1−δ1δ2) with δ1 = 0.3, δ2 = 0.5.
        const double d1 = 0.3, d2 = 0.5;
        var q1 = 100 * (1 + d1) / (1 - (d1 * d2));
        var q2 = 80 * (1 + d2) / (1 - (d1 * d2));
        var equilibrium = json.GetProperty("equilibrium");
        Assert.Equal("positive", equilibrium.GetProperty("status").GetString());
        var sizes = equilibrium.GetProperty("sizes").Doubles();
        Assert.Equal(q1, sizes[0], 9);
        Assert.Equal(q2, sizes[1], 9);
        var relative = equilibrium.GetProperty("relative").Doubles();
        Assert.Equal(q1 / 100, relative[0], 12);
        Assert.Equal(q2 / 80, relative[1], 12);
        Assert.True(equilibrium.GetProperty("stable").GetBoolean()); // δ1δ2 = 0.15 < 1

        // Eigenvalues of J: sum = trace = −(k1y1 + k2y2), product = det = k1y1·k2y2·(1 − δ1δ2).
        var eigenvalues = equilibrium.GetProperty("eigenvalues").EnumerateArray().Select(e => (Re: e.GetProperty("re").GetDouble(), Im: e.GetProperty("im").GetDouble())).ToArray();
        var (ky1, ky2) = (1 * q1 / 100, 0.8 * q2 / 80);
        Assert.Equal(-(ky1 + ky2), eigenvalues[0].Re + eigenvalues[1].Re, 9);
        Assert.Equal(ky1 * ky2 * (1 - (d1 * d2)), (eigenvalues[0].Re * eigenvalues[1].Re) - (eigenvalues[0].Im * eigenvalues[1].Im), 9);
        Assert.All(eigenvalues, e => Assert.True(e.Re < 0));

        var relation = Assert.Single(json.GetProperty("relations").EnumerateArray());
        Assert.Equal(0, relation.GetProperty("first").GetInt32());
        Assert.Equal(1, relation.GetProperty("second").GetInt32());
        Assert.Equal("mutualism", relation.GetProperty("relation").GetString());

        var trajectory = json.GetProperty("trajectory");
        Assert.Equal("completed", trajectory.GetProperty("status").GetString());
        Assert.Equal([0, 5, 10, 15, 20], trajectory.GetProperty("times").Doubles());
        Assert.Equal(20, trajectory.GetProperty("stoppedAt").GetDouble());
        var values = trajectory.GetProperty("values").EnumerateArray().Select(v => v.Doubles()).ToArray();
        Assert.Equal(2, values.Length);
        Assert.All(values, series => Assert.Equal(5, series.Length));
        Assert.Equal([10.0, 10.0], values.Select(series => series[0]));
        // By T = 20 (≈ 16 e-foldings of the slowest eigenvalue) both members sit at the equilibrium.
        Assert.Equal(q1, values[0][^1], 1e-3 * q1);
        Assert.Equal(q2, values[1][^1], 1e-3 * q2);
    }

    [Fact]
    public async Task Symbiosis_without_interaction_follows_the_logistic_curve()
    {
        var json = await HttpAssert.OkJsonAsync(await _client.PostJsonAsync("/api/models/symbiosis",
            """{"growthRates":[0.5,2],"capacities":[50,10],"delta":[[0,0],[0,0]],"initial":[5,1],"horizon":8,"points":9}"""));

        Assert.Equal("neutralism", json.GetProperty("relations")[0].GetProperty("relation").GetString());
        var times = json.GetProperty("trajectory").GetProperty("times").Doubles();
        var values = json.GetProperty("trajectory").GetProperty("values").EnumerateArray().Select(v => v.Doubles()).ToArray();
        double[] k = [0.5, 2], capacity = [50, 10], initial = [5, 1];
        for (var i = 0; i < 2; i++)
        {
            for (var t = 0; t < times.Length; t++)
            {
                // Q(t) = N / (1 + (N/Q0 − 1) e^{−kt}).
                var exact = capacity[i] / (1 + (((capacity[i] / initial[i]) - 1) * Math.Exp(-k[i] * times[t])));
                Assert.Equal(exact, values[i][t], 1e-6 * capacity[i]);
            }
        }
    }

    [Theory]
    [InlineData(0.3, 0.5, "mutualism")]
    [InlineData(-0.5, -0.4, "competition")]
    [InlineData(0.5, -0.3, "parasitism")]
    [InlineData(0.4, 0, "commensalism")]
    [InlineData(-2, -2, "competition")]
    [InlineData(-1.5, -3, "competition")]
    public async Task Two_member_equilibrium_is_stable_iff_the_product_of_effects_is_below_1(double d1, double d2, string relation)
    {
        var json = await HttpAssert.OkJsonAsync(await _client.PostObjectAsync("/api/models/symbiosis", new
        {
            growthRates = new[] { 1.0, 1.0 },
            capacities = new[] { 10.0, 20.0 },
            delta = new[] { new[] { 0, d1 }, new[] { d2, 0 } },
            initial = new[] { 1.0, 1.0 },
            horizon = 1.0,
            points = 2,
        }));

        var equilibrium = json.GetProperty("equilibrium");
        var sizes = equilibrium.GetProperty("sizes").Doubles();
        Assert.Equal(10 * (1 + d1) / (1 - (d1 * d2)), sizes[0], 9);
        Assert.Equal(20 * (1 + d2) / (1 - (d1 * d2)), sizes[1], 9);
        Assert.Equal("positive", equilibrium.GetProperty("status").GetString());
        Assert.Equal(d1 * d2 < 1, equilibrium.GetProperty("stable").GetBoolean());
        Assert.Equal(relation, json.GetProperty("relations")[0].GetProperty("relation").GetString());
    }

    [Fact]
    public async Task Symbiosis_reports_a_singular_system_and_a_blow_up_as_statuses()
    {
        var singular = await HttpAssert.OkJsonAsync(await _client.PostJsonAsync("/api/models/symbiosis",
            """{"growthRates":[1,1],"capacities":[1,1],"delta":[[0,1],[1,0]],"initial":[1,1],"horizon":1,"points":3}"""));
        Assert.Equal("singular", singular.GetProperty("equilibrium").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, singular.GetProperty("equilibrium").GetProperty("sizes").ValueKind);
        Assert.Equal(JsonValueKind.Null, singular.GetProperty("equilibrium").GetProperty("eigenvalues").ValueKind);
        Assert.False(singular.GetProperty("equilibrium").GetProperty("stable").GetBoolean());

        // Mutualism with δ1δ2 = 4 > 1 grows without bound: the series stop where the integration stopped.
        var blowUp = await HttpAssert.OkJsonAsync(await _client.PostJsonAsync("/api/models/symbiosis",
            """{"growthRates":[1,1],"capacities":[1,1],"delta":[[0,2],[2,0]],"initial":[1,1],"horizon":100,"points":11}"""));
        Assert.Equal("notPositive", blowUp.GetProperty("equilibrium").GetProperty("status").GetString());
        var trajectory = blowUp.GetProperty("trajectory");
        Assert.Equal("blewUp", trajectory.GetProperty("status").GetString());
        var reached = trajectory.GetProperty("times").GetArrayLength();
        Assert.InRange(reached, 1, 10);
        Assert.All(trajectory.GetProperty("values").EnumerateArray(), series => Assert.Equal(reached, series.GetArrayLength()));
        Assert.True(trajectory.GetProperty("stoppedAt").GetDouble() < 100);
    }

    [Theory]
    // Overflow in the equilibrium and a non-finite rate at t = 0 (the library's own statuses).
    [InlineData("""{"growthRates":[1e308,1e308],"capacities":[1,1],"delta":[[0,0.5],[0.5,0]],"initial":[1e300,1e300],"horizon":1,"points":3}""")]
    // MathNet's SVD loops forever on these I − Δ (entries past √double.MaxValue); the server must not call it.
    [InlineData("""{"growthRates":[1,1],"capacities":[1,1],"delta":[[0,1.2e308],[0,0]],"initial":[1,1],"horizon":1,"points":3}""")]
    [InlineData("""{"growthRates":[1,1,1],"capacities":[1,1,1],"delta":[[0,0,9],[-75,0,1e160],[0,1e160,0]],"initial":[1,1,1],"horizon":1,"points":3}""")]
    // MathNet's EVD fails to converge (tiny rates) or throws IndexOutOfRange (symmetric J near double.MaxValue).
    [InlineData("""{"growthRates":[1e-200,1e-200,1e-200],"capacities":[1,1,1],"delta":[[0,0.3,-0.2],[0.3,0,0.1],[-0.5,0.2,0]],"initial":[1,1,1],"horizon":1,"points":3}""")]
    [InlineData("""{"growthRates":[8e307,8e307],"capacities":[1,1],"delta":[[0,0.5],[0.5,0]],"initial":[1,1],"horizon":1,"points":3}""")]
    public async Task Symbiosis_with_extreme_magnitudes_answers_promptly_with_finite_json(string body)
    {
        // The in-memory server runs a synchronous handler inline, so a cancellation token would not stop a
        // hang; a separate task bounded by WaitAsync turns one into a failure instead of a stuck test run.
        var response = await Task.Run(() => _client.PostJsonAsync("/api/models/symbiosis", body)).WaitAsync(TimeSpan.FromSeconds(30));

        var json = await HttpAssert.OkJsonAsync(response);
        AssertFiniteJson(await response.Content.ReadAsStringAsync());
        var equilibrium = json.GetProperty("equilibrium");
        var status = equilibrium.GetProperty("status").GetString();
        Assert.Contains(status, new[] { "positive", "notPositive", "singular", "notRepresentable" });
        Assert.Equal(status is "singular" or "notRepresentable", equilibrium.GetProperty("eigenvalues").ValueKind == JsonValueKind.Null);
        Assert.NotEmpty(json.GetProperty("relations").EnumerateArray());
        Assert.True(json.GetProperty("trajectory").GetProperty("times").GetArrayLength() >= 1);
    }

    [Theory]
    [InlineData("spillover", "demandIntercept", "\"NaN\"", "demandIntercept")]
    [InlineData("spillover", "demandSlope", "\"Infinity\"", "demandSlope")]
    [InlineData("spillover", "gamma", "\"-Infinity\"", "gamma")]
    [InlineData("spillover", "demandSlope", "-1", "demandSlope")]
    [InlineData("spillover", "gamma", "0", "gamma")]
    [InlineData("spillover", "demandIntercept", "-5", "demandIntercept")]
    [InlineData("spillover", "baseUnitCost", "100", "baseUnitCost")]
    [InlineData("spillover", "baseUnitCost", "120", "baseUnitCost")]
    [InlineData("spillover", "baseUnitCost", "0", "baseUnitCost")]
    [InlineData("spillover", "beta", "1.01", "beta")]
    [InlineData("spillover", "beta", "-0.1", "beta")]
    [InlineData("spillover", "firmCount", "1", "firmCount")]
    [InlineData("spillover", "firmCount", "1001", "firmCount")]
    [InlineData("spillover", "firmCount", "2.5", "firmCount")]
    [InlineData("spillover", "firmCount", "\"two\"", "firmCount")]
    [InlineData("spillover", "beta", "\"0.5\"", "beta")]
    [InlineData("spillover", "demandIntercept", "[100]", "demandIntercept")]
    [InlineData("spillover", "betaPoints", "1", "betaPoints")]
    [InlineData("spillover", "betaPoints", "1002", "betaPoints")]
    [InlineData("spillover", "demandIntercept", null, "demandIntercept")]
    [InlineData("spillover", "demandSlope", null, "demandSlope")]
    [InlineData("spillover", "baseUnitCost", null, "baseUnitCost")]
    [InlineData("spillover", "beta", null, "beta")]
    [InlineData("spillover", "gamma", null, "gamma")]
    [InlineData("spillover", "firmCount", null, "firmCount")]
    [InlineData("symbiosis", "growthRates", """[1,"NaN"]""", "growthRates[1]")]
    [InlineData("symbiosis", "capacities", """["Infinity",80]""", "capacities[0]")]
    [InlineData("symbiosis", "initial", "[10,-1]", "initial[1]")]
    [InlineData("symbiosis", "initial", "[10,0]", "initial[1]")]
    [InlineData("symbiosis", "growthRates", "[-1,0.8]", "growthRates[0]")]
    [InlineData("symbiosis", "growthRates", "[1]", "growthRates")]
    [InlineData("symbiosis", "growthRates", "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]", "growthRates")]
    [InlineData("symbiosis", "capacities", "[100]", "capacities")]
    [InlineData("symbiosis", "initial", "[10,10,10]", "initial")]
    [InlineData("symbiosis", "delta", "[[0,0.3]]", "delta")]
    [InlineData("symbiosis", "delta", "[[0,0.3],[0.5]]", "delta[1]")]
    [InlineData("symbiosis", "delta", "[[0,0.3],[0.5,0,1]]", "delta[1]")]
    [InlineData("symbiosis", "delta", "[[0.1,0.3],[0.5,0]]", "delta[0][0]")]
    [InlineData("symbiosis", "delta", "[[0,0.3],[0.5,-2]]", "delta[1][1]")]
    [InlineData("symbiosis", "delta", """[[0,"NaN"],[0.5,0]]""", "delta[0][1]")]
    [InlineData("symbiosis", "delta", "[[0,0.3],null]", "delta[1]")]
    [InlineData("symbiosis", "delta", "[0,0.3]", "delta[0]")]
    [InlineData("symbiosis", "horizon", "0", "horizon")]
    [InlineData("symbiosis", "horizon", "\"Infinity\"", "horizon")]
    [InlineData("symbiosis", "points", "1", "points")]
    [InlineData("symbiosis", "points", "5001", "points")]
    [InlineData("symbiosis", "points", "1.5", "points")]
    [InlineData("symbiosis", "growthRates", "\"abc\"", "growthRates")]
    [InlineData("symbiosis", "growthRates", "[1,null]", "growthRates[1]")]
    [InlineData("symbiosis", "growthRates", null, "growthRates")]
    [InlineData("symbiosis", "capacities", null, "capacities")]
    [InlineData("symbiosis", "delta", null, "delta")]
    [InlineData("symbiosis", "initial", null, "initial")]
    [InlineData("symbiosis", "horizon", null, "horizon")]
    [InlineData("symbiosis", "points", null, "points")]
    public async Task Bad_input_gets_a_400_naming_the_field(string calculator, string property, string? value, string field)
    {
        // A valid body with one property replaced by the raw JSON value, or removed when value is null.
        var body = JsonNode.Parse(calculator == "spillover" ? Market + "}" : Alliance + "}")!.AsObject();
        body.Remove(property);
        if (value is not null)
        {
            body[property] = JsonNode.Parse(value);
        }

        var response = await _client.PostJsonAsync($"/api/models/{calculator}", body.ToJsonString());

        await HttpAssert.ValidationProblemAsync(response, field);
    }

    [Theory]
    [InlineData("spillover", "demandIntercept")]
    [InlineData("symbiosis", "growthRates")]
    public async Task An_empty_object_names_the_first_required_field(string calculator, string field)
    {
        var response = await _client.PostJsonAsync($"/api/models/{calculator}", "{}");

        var messages = await HttpAssert.ValidationProblemAsync(response, field);
        Assert.Equal("is required", messages[0]);
    }

    // System.Text.Json would write NaN/±∞ as the strings "NaN"/"Infinity" under the API's number handling.
    private static void AssertFiniteJson(string body)
    {
        Assert.DoesNotContain("NaN", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", body, StringComparison.Ordinal);
    }
}

namespace NegotiationHub.Server.Tests.Calculators;

public class BargainingCalculatorsHttpTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Bargaining_power_answers_the_three_party_example()
    {
        // MODEL §1 with strengths [[2,1],[1,1],[1,2]] and weights (½, ½): h = (0.4, 0.2, 0.4).
        var response = await _client.PostJsonAsync("/api/models/bargaining-power", """{"strengths":[[2,1],[1,1],[1,2]],"weights":[0.5,0.5]}""");

        var json = await HttpAssert.OkJsonAsync(response);
        var power = json.GetProperty("power").Doubles();
        Assert.Equal(0.4, power[0], 12);
        Assert.Equal(0.2, power[1], 12);
        Assert.Equal(0.4, power[2], 12);
        Assert.Equal(2.0, json.GetProperty("ratios")[0][0].GetDouble(), 12);
    }

    [Fact]
    public async Task Nash_splits_a_linear_pool_by_power()
    {
        var response = await _client.PostJsonAsync("/api/models/nash", """{"pool":200,"powers":[0.5,0.3,0.2]}""");

        var json = await HttpAssert.OkJsonAsync(response);
        var allocation = json.GetProperty("solution").GetProperty("allocation").Doubles();
        Assert.Equal([100.0, 60, 40], allocation.Select(x => Math.Round(x, 9)));
        Assert.True(json.GetProperty("solution").TryGetProperty("nashProduct", out _));
        Assert.True(json.GetProperty("solution").TryGetProperty("logNashProduct", out _));
    }

    [Fact]
    public async Task Nash_takes_power_utilities_and_strengths_instead_of_powers()
    {
        // Equal strengths ⇒ h = (½, ½); power utilities α = (0.5, 1), d = 0 ⇒ k ∝ α·h ⇒ k = (10/3, 20/3) of K = 10.
        var response = await _client.PostJsonAsync("/api/models/nash",
            """{"pool":10,"strengths":[[3,1],[3,1]],"weights":[0.5,0.5],"utilities":[{"kind":"power","alpha":0.5},{"kind":"linear"}]}""");

        var json = await HttpAssert.OkJsonAsync(response);
        Assert.Equal([0.5, 0.5], json.GetProperty("powers").Doubles());
        var allocation = json.GetProperty("solution").GetProperty("allocation").Doubles();
        Assert.Equal(10.0 / 3, allocation[0], 9);
        Assert.Equal(20.0 / 3, allocation[1], 9);
    }

    [Fact]
    public async Task Round_names_who_must_concede()
    {
        // ρ = (60/0.5, 30/0.3, 30/0.2) = (120, 100, 150): party 2 concedes; gap 20.
        var response = await _client.PostJsonAsync("/api/models/round", """{"pool":100,"powers":[0.5,0.3,0.2],"demands":[60,30,30]}""");

        var json = await HttpAssert.OkJsonAsync(response);
        Assert.Equal(20, json.GetProperty("gap").GetDouble(), 9);
        Assert.False(json.GetProperty("compatible").GetBoolean());
        Assert.Equal([2], json.GetProperty("mustConcede").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(0.2, json.GetProperty("distance").GetDouble(), 9);
        var efficiency = json.GetProperty("nashEfficiency").GetDouble();
        Assert.InRange(efficiency, 0, 1);
        // Next demand for party 0: 60 + 0.5·(50 − 60) = 55.
        Assert.Equal(55, json.GetProperty("parties")[0].GetProperty("nextDemand").GetDouble(), 9);
    }

    [Fact]
    public async Task Revision_proposes_partial_adjustment_and_rejects_overshoot()
    {
        var proposal = await HttpAssert.OkJsonAsync(await _client.PostJsonAsync("/api/models/revision",
            """{"currentShares":[0.6,0.4],"optimalShares":[0.5,0.5],"lambda":0.5,"periods":3}"""));
        Assert.True(proposal.GetProperty("valid").GetBoolean());
        Assert.Equal([0.55, 0.45], proposal.GetProperty("proposedShares").Doubles().Select(x => Math.Round(x, 12)));
        // Path: s_t − s* = (½)^t (s − s*): 0.55, 0.525, 0.5125.
        Assert.Equal([0.55, 0.525, 0.5125], proposal.GetProperty("path").EnumerateArray().Select(p => Math.Round(p[0].GetDouble(), 12)));

        var overshoot = await HttpAssert.OkJsonAsync(await _client.PostJsonAsync("/api/models/revision",
            """{"currentShares":[0.6,0.4],"optimalShares":[0.5,0.5],"proposedShares":[0.45,0.55]}"""));
        Assert.False(overshoot.GetProperty("valid").GetBoolean());
        Assert.Equal(2, overshoot.GetProperty("violations").GetArrayLength());
    }

    [Fact]
    public async Task Revision_computes_the_optimum_from_the_new_strengths()
    {
        // New strengths equal ⇒ h = (½, ½) ⇒ linear optimum s* = (½, ½).
        var json = await HttpAssert.OkJsonAsync(await _client.PostJsonAsync("/api/models/revision",
            """{"currentShares":[0.7,0.3],"problem":{"pool":1,"strengths":[[2],[2]],"weights":[1]},"lambda":1}"""));

        Assert.Equal([0.5, 0.5], json.GetProperty("optimalShares").Doubles().Select(x => Math.Round(x, 12)));
        Assert.Equal([0.5, 0.5], json.GetProperty("proposedShares").Doubles().Select(x => Math.Round(x, 12)));
    }

    [Theory]
    [InlineData("bargaining-power", """{"strengths":[[1,2],[1,"NaN"]],"weights":[0.5,0.5]}""", "strengths[1][1]")]
    [InlineData("bargaining-power", """{"strengths":[[1,2],[1,-3]],"weights":[0.5,0.5]}""", "strengths[1][1]")]
    [InlineData("bargaining-power", """{"strengths":[[1,2],[1,3]],"weights":[0.5,0.6]}""", "weights")]
    [InlineData("bargaining-power", """{"strengths":[[1,2],[1,3]]}""", "weights")]
    [InlineData("bargaining-power", """{"strengths":[[1,2],[1,"x"]],"weights":[0.5,0.5]}""", "strengths[1][1]")]
    [InlineData("nash", """{"pool":"Infinity","powers":[0.5,0.5]}""", "pool")]
    [InlineData("nash", """{"pool":-1,"powers":[0.5,0.5]}""", "pool")]
    [InlineData("nash", """{"powers":[0.5,0.5]}""", "pool")]
    [InlineData("nash", """{"pool":10}""", "powers")]
    [InlineData("nash", """{"pool":10,"powers":[0.5,0.5],"disagreement":[6,4]}""", "disagreement")]
    [InlineData("nash", """{"pool":10,"powers":[0.5,0.5],"disagreement":[-1,0]}""", "disagreement[0]")]
    [InlineData("nash", """{"pool":10,"powers":[0.5,0.5],"utilities":[{"kind":"power","alpha":2},{"kind":"linear"}]}""", "utilities[0].alpha")]
    [InlineData("nash", """{"pool":10,"powers":[0.5,0.5],"utilities":[{"kind":"cubic"},{"kind":"linear"}]}""", "utilities[0].kind")]
    [InlineData("nash", """{"pool":10,"powers":[0.5,0.5],"utilities":[{"kind":"log"},{"kind":"linear"}]}""", "utilities[0].scale")]
    [InlineData("nash", """{"pool":10,"powers":[0.5,0.5],"utilities":[{"alpha":1},{"kind":"linear"}]}""", "utilities[0].kind")]
    [InlineData("nash", """{"pool":10,"powers":[0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.0625,0.03125,0.03125]}""", "powers")]
    [InlineData("nash", """{"pool":[10],"powers":[0.5,0.5]}""", "pool")]
    [InlineData("round", """{"pool":100,"powers":[0.5,0.5],"demands":[60,101]}""", "demands[1]")]
    [InlineData("round", """{"pool":100,"powers":[0.5,0.5],"demands":[60,"NaN"]}""", "demands[1]")]
    [InlineData("round", """{"pool":100,"powers":[0.5,0.5],"demands":[60]}""", "demands")]
    [InlineData("round", """{"pool":100,"powers":[0.5,0.5]}""", "demands")]
    [InlineData("round", """{"pool":100,"powers":[0.5,0.5],"demands":[60,50],"lambda":0}""", "lambda")]
    [InlineData("revision", """{"currentShares":[0.5,0.6],"optimalShares":[0.5,0.5]}""", "currentShares")]
    [InlineData("revision", """{"currentShares":[0.5,0.5]}""", "optimalShares")]
    [InlineData("revision", """{"currentShares":[0.5,0.5],"optimalShares":[0.4,0.6],"lambda":2}""", "lambda")]
    [InlineData("revision", """{"currentShares":[0.5,0.5],"optimalShares":[0.4,0.6],"periods":1000}""", "periods")]
    [InlineData("revision", """{"currentShares":[0.5,0.5],"problem":{"pool":-1,"powers":[0.5,0.5]}}""", "problem.pool")]
    public async Task Bad_input_gets_a_400_naming_the_field(string calculator, string body, string field)
    {
        var response = await _client.PostJsonAsync($"/api/models/{calculator}", body);

        await HttpAssert.ValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task An_unknown_utility_kind_lists_the_allowed_kinds()
    {
        var response = await _client.PostJsonAsync("/api/models/nash", """{"pool":10,"powers":[0.5,0.5],"utilities":[{"kind":"cubic"},{"kind":"linear"}]}""");

        var messages = await HttpAssert.ValidationProblemAsync(response, "utilities[0].kind");
        Assert.Equal("must be one of linear, power, log, exponential", messages[0]);
    }

    [Theory]
    [InlineData("nash", "{\"pool\": 10, \"powers\": [0.5")]
    [InlineData("nash", "null")]
    [InlineData("round", "[]")]
    public async Task Malformed_json_gets_a_400_not_a_500(string calculator, string body)
    {
        var response = await _client.PostJsonAsync($"/api/models/{calculator}", body);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415()
    {
        var response = await _client.PostAsync("/api/models/nash", new StringContent("pool=10", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(System.Net.HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task An_oversized_body_is_refused()
    {
        var huge = "{\"pool\":10,\"powers\":[" + string.Join(',', Enumerable.Repeat("0.000001", 300_000)) + "]}";

        var response = await _client.PostJsonAsync("/api/models/nash", huge);

        Assert.True((int)response.StatusCode is 400 or 413, $"got {(int)response.StatusCode}");
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Tests.Agreements;

/// <summary>MODEL §6–7 into the contract: experts' scores by GEM, costs, risks (direct or by template indicators and AHP), the effort game, λ.</summary>
public sealed partial class TangibleSharesTests(ContractFixture fixture) : IClassFixture<ContractFixture>
{
    private const double Pool = 1200;

    // The hand example: 4 parties, 2 stages, 1 resource.
    private static readonly double[][] Costs = [[10, 10], [20, 0], [0, 20], [5, 5]];
    private static readonly double[][] Market = [[0.1, 0.3], [0.2, 0.2], [0.4, 0], [0.1, 0.1]];
    private static readonly double[][] Cooperation = [[0, 0], [0, 0], [0, 0], [0.5, 0]];

    /// <summary>
    /// A request whose every share is computable by hand. Two experts score every party's stage 1
    /// twice stage 2; the second uses three times the first's numbers, so they agree and GEM gives
    /// their common normalized vector (MODEL §6): P = 2/12 for stage 1 and 1/12 for stage 2.
    /// Technical risks are 0; the effort game is symmetric (d = 0.5, b = 1), so t* = ¼ each.
    /// </summary>
    public static JsonObject HandExample(int expectedRevision)
    {
        double[][][] first = [.. Enumerable.Range(0, 4).Select(_ => new[] { new[] { 2.0 }, [1.0] })];
        double[][][] second = [.. first.Select(party => party.Select(stage => stage.Select(x => 3 * x).ToArray()).ToArray())];
        return JsonSerializer.SerializeToNode(new
        {
            expectedRevision,
            cost = new
            {
                costs = Costs.Select(party => party.Select(c => new[] { c })),
                expertScores = new[] { first, second },
                rate = 0.1,
            },
            risk = new
            {
                marketRisks = Market,
                technicalRisks = new double[4][].Select(_ => new[] { 0.0, 0 }),
                cooperationRisks = Cooperation,
            },
            effort = new { contributions = new[] { 0.5, 0.5, 0.5, 0.5 }, costCoefficients = new[] { 1.0, 1, 1, 1 } },
        })!.AsObject();
    }

    /// <summary>ω by MODEL §7b: value_i = Σ_j C_ij (1 + r)^(m + 1 − j) P_ij, with m = 2, r = 0.1.</summary>
    private static double[] CostShares()
    {
        double[] degree = [2 / 12.0, 1 / 12.0];
        var values = Costs.Select(c => (c[0] * Math.Pow(1.1, 2) * degree[0]) + (c[1] * 1.1 * degree[1])).ToArray();
        Assert.Equal([35.2 / 12, 48.4 / 12, 22 / 12.0, 17.6 / 12], values, Close);
        return [.. values.Select(v => v / values.Sum())];
    }

    /// <summary>v by MODEL §7c: R_ij = 1 − (1 − Ra)(1 − Rb)(1 − Rc), v_i = Σ_j R_ij / Σ R.</summary>
    private static double[] RiskShares()
    {
        var totals = Market.Select((row, i) => row.Select((a, j) => 1 - ((1 - a) * (1 - Cooperation[i][j]))).Sum()).ToArray();
        Assert.Equal([0.4, 0.4, 0.4, 0.65], totals, Close);
        return [.. totals.Select(r => r / totals.Sum())];
    }

    [Fact]
    public async Task Expert_scores_costs_risks_and_efforts_become_the_contracts_tangible_shares_in_equal_thirds()
    {
        var id = await fixture.CreateAgreedSessionAsync(tangiblePool: Pool);
        var member = await fixture.Members[3].ConnectAsync();
        var snapshot = await member.Client.JoinSessionAsync(id);

        var json = await HttpAssert.OkJsonAsync(await Put(fixture.Coordinator, id, HandExample(0)));

        var (omega, v, t) = (CostShares(), RiskShares(), new[] { 0.25, 0.25, 0.25, 0.25 });
        var expected = Enumerable.Range(0, 4).Select(i => (omega[i] + v[i] + t[i]) / 3).ToArray();
        var tangible = json.GetProperty("tangible");
        Assert.Equal(omega, tangible.GetProperty("cost").GetProperty("shares").Doubles(), Close);
        Assert.Equal(1, tangible.GetProperty("cost").GetProperty("expertAgreement").GetDouble(), 12);
        Assert.Equal(2 / 12.0, tangible.GetProperty("cost").GetProperty("contributionDegrees")[3][0][0].GetDouble(), 12);
        Assert.Equal(1 / 12.0, tangible.GetProperty("cost").GetProperty("contributionDegrees")[3][1][0].GetDouble(), 12);
        Assert.Equal(v, tangible.GetProperty("risk").GetProperty("shares").Doubles(), Close);
        Assert.Equal(t, tangible.GetProperty("effort").GetProperty("shares").Doubles(), Close);
        Assert.Equal(1 / 3.0, tangible.GetProperty("lambdaCost").GetDouble(), 12);
        Assert.Equal(expected, tangible.GetProperty("shares").Doubles(), Close);
        Assert.Equal(expected.Select(s => s * Pool), tangible.GetProperty("payouts").Doubles(), Close);

        // Stored on the contract as revision 1, the intangible shares untouched.
        var contract = json.GetProperty("contract");
        Assert.Equal(1, contract.GetProperty("revision").GetInt32());
        Assert.Equal("tangible", contract.GetProperty("revisions")[1].GetProperty("kind").GetString());
        Assert.Equal([0.25, 0.25, 0.25, 0.25], contract.GetProperty("shares").Doubles());
        var read = await HttpAssert.OkJsonAsync(await fixture.Auditor.Http.GetAsync(ContractRevisionTests.Url(id)));
        Assert.Equal(expected, read.GetProperty("tangibleShares").Doubles(), Close);
        Assert.Equal(expected.Select(s => s * Pool), read.GetProperty("tangiblePayouts").Doubles(), Close);
        await using (var db = fixture.Server.Database())
        {
            var stored = await db.Contracts.SingleAsync(c => c.SessionId == id);
            Assert.Equal(expected, JsonSerializer.Deserialize<double[]>(stored.TangibleSharesJson!)!, Close);
            Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Chain == id.ToString("N") && e.Type == "TangibleSharesSet"));
        }

        var revised = await member.WaitForAsync<ContractRevised>();
        Assert.Equal(snapshot.Sequence + 1, revised.Sequence);
        Assert.Equal(expected, revised.Contract.TangibleShares!, Close);
    }

    [Fact]
    public async Task A_3x3_ahp_matrix_sets_the_lambdas()
    {
        var id = await fixture.CreateAgreedSessionAsync(tangiblePool: Pool);
        var body = HandExample(0);
        // Consistent: cost twice as important as risk and effort ⇒ λ = (½, ¼, ¼).
        body["weights"] = JsonSerializer.SerializeToNode(new { matrix = new[] { new[] { 1, 2, 2.0 }, [0.5, 1, 1], [0.5, 1, 1] } });

        var json = await HttpAssert.OkJsonAsync(await Put(fixture.Coordinator, id, body));

        var tangible = json.GetProperty("tangible");
        Assert.Equal([0.5, 0.25, 0.25], new[] { "lambdaCost", "lambdaRisk", "lambdaEffort" }.Select(n => tangible.GetProperty(n).GetDouble()), Close);
        var (omega, v) = (CostShares(), RiskShares());
        Assert.Equal(Enumerable.Range(0, 4).Select(i => (0.5 * omega[i]) + (0.25 * v[i]) + (0.25 * 0.25)), tangible.GetProperty("shares").Doubles(), Close);
    }

    [Fact]
    public async Task Risks_from_the_templates_indicators_weighted_by_ahp_and_only_the_blocks_with_weight()
    {
        var id = await fixture.CreateAgreedSessionAsync(tangiblePool: Pool);
        var scores = new Dictionary<string, double[][]>();
        foreach (var indicator in new[]
        {
            "marketCompetition", "technicalProgress", "marketChange", "technologyMaturity", "technologyComplexity",
            "technologyRelatedness", "cultureAndManagementGap", "knowledgeExchange", "trust", "geographicDistance",
        })
        {
            scores[indicator] = [[0], [0], [0], [0]];
        }

        scores["marketCompetition"] = [[0.3], [0.3], [0.3], [0.3]];
        scores["technologyMaturity"] = [[0.4], [0], [0], [0]];
        scores["trust"] = [[0], [0.8], [0], [0]];
        var body = JsonSerializer.SerializeToNode(new
        {
            expectedRevision = 0,
            risk = new
            {
                indicatorScores = scores,
                indicatorMatrices = new { technical = new[] { new[] { 1, 2, 2.0 }, [0.5, 1, 1], [0.5, 1, 1] } },
            },
            weights = new { lambdaCost = 0, lambdaRisk = 1, lambdaEffort = 0 },
        })!;

        var json = await HttpAssert.OkJsonAsync(await Put(fixture.Coordinator, id, body));

        // Equal local weights in market (⅓ each) and cooperation (¼ each); technical (½, ¼, ¼) by AHP:
        // Ra = 0.3/3 = 0.1 for all, Rb_0 = ½·0.4 = 0.2, Rc_1 = 0.8/4 = 0.2 ⇒ R = (0.28, 0.28, 0.1, 0.1).
        var risk = json.GetProperty("tangible").GetProperty("risk");
        Assert.Equal([0.5, 0.25, 0.25], risk.GetProperty("indicatorWeights").GetProperty("technical").Doubles(), Close);
        Assert.Equal([0.1, 0.1, 0.1, 0.1], risk.GetProperty("marketRisks").EnumerateArray().Select(r => r[0].GetDouble()), Close);
        double[] expected = [0.28 / 0.76, 0.28 / 0.76, 0.1 / 0.76, 0.1 / 0.76];
        Assert.Equal(expected, risk.GetProperty("shares").Doubles(), Close);
        Assert.Equal(expected, json.GetProperty("tangible").GetProperty("shares").Doubles(), Close);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("tangible").GetProperty("cost").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("tangible").GetProperty("effort").ValueKind);
    }

    [Fact]
    public async Task Tangible_and_intangible_revisions_each_keep_the_others_shares()
    {
        var id = await fixture.CreateAgreedSessionAsync(tangiblePool: Pool);
        await fixture.RecordStrengthsAsync(id, 1, 4);
        var tangible = (await HttpAssert.OkJsonAsync(await Put(fixture.Coordinator, id, HandExample(0)))).GetProperty("tangible").GetProperty("shares").Doubles();

        var revised = await HttpAssert.OkJsonAsync(await ContractRevisionTests.Revise(fixture.Coordinator, id, new { expectedRevision = 1, lambda = 1 }));

        Assert.Equal(tangible, revised.GetProperty("tangibleShares").Doubles());
        Assert.Equal(ContractFixture.Optimum(4), revised.GetProperty("shares").Doubles(), Close);
        Assert.Equal(tangible, revised.GetProperty("revisions")[2].GetProperty("tangibleShares").Doubles());

        // The tangible revision kept the agreement's shares and optimum (period 0).
        var tangibleRevision = revised.GetProperty("revisions")[1];
        Assert.Equal(0, tangibleRevision.GetProperty("period").GetInt32());
        Assert.Equal([0.25, 0.25, 0.25, 0.25], tangibleRevision.GetProperty("shares").Doubles());

        // A stale tangible update is a conflict like any revision.
        var stale = await Put(fixture.Coordinator, id, HandExample(1));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, stale.StatusCode);
    }

    public static TheoryData<string, string?, string> BadTangibles => new()
    {
        // path, new JSON value (null removes it), expected error field
        { "expectedRevision", null, "expectedRevision" },
        { "cost.costs", "[[[1],[1]],[[1],[1]]]", "cost.costs" },
        { "cost.costs[0][0][0]", "-1", "cost.costs[0][0][0]" },
        { "cost.costs[1][1][0]", "\"NaN\"", "cost.costs[1][1][0]" },
        { "cost.costs[2][1]", "[1,2]", "cost.costs[2][1]" },
        { "cost.rate", null, "cost.rate" },
        { "cost.rate", "2", "cost.rate" },
        { "cost.rate", "\"Infinity\"", "cost.rate" },
        { "cost.expertScores[1][2]", "[[1]]", "cost.expertScores[1][2]" },
        { "cost.expertScores[0][3][1][0]", "\"Infinity\"", "cost.expertScores[0][3][1][0]" },
        { "cost.expertScores[1][0][0][0]", "-2", "cost.expertScores[1][0][0][0]" },
        { "cost.expertScores[1]", "[[[0],[0]],[[0],[0]],[[0],[0]],[[0],[0]]]", "cost.expertScores[1]" },
        { "cost.expertScores", "[]", "cost.expertScores" },
        { "cost.expertScores", null, "cost.contributionDegrees" },
        { "cost.contributionDegrees", "[[[1],[1]],[[1],[1]],[[1],[1]],[[1],[1]]]", "cost.expertScores" },
        { "risk.marketRisks[1][0]", "1", "risk.marketRisks[1][0]" },
        { "risk.cooperationRisks[3][0]", "-0.1", "risk.cooperationRisks[3][0]" },
        { "risk.technicalRisks", "[[0,0]]", "risk.technicalRisks" },
        { "risk.marketRisks", "[[0.1,0.1],[0.1,0.1]]", "risk.marketRisks" },
        { "risk.indicatorScores", "{}", "risk.indicatorScores" },
        { "risk.indicatorMatrices", "{}", "risk.indicatorMatrices" },
        { "risk", """{"indicatorScores":{"luck":[[0],[0],[0],[0]]}}""", "risk.indicatorScores.luck" },
        { "risk", """{"indicatorScores":{}}""", "risk.indicatorScores.marketCompetition" },
        { "effort.contributions", "[0.5,0.5]", "effort.contributions" },
        { "effort.contributions[1]", "0", "effort.contributions[1]" },
        { "effort.costCoefficients[2]", "0.2", "effort.costCoefficients[2]" },
        { "effort.fixedCosts", "[0,0,-1,0]", "effort.fixedCosts[2]" },
        { "effort.shares", "[0.25,0.25,0.25,0.25]", "effort.shares" },
        { "effort", null, "effort" },
        { "weights", """{"lambdaCost":0.5,"lambdaRisk":0.5,"lambdaEffort":0.5}""", "weights.lambdaCost" },
        { "weights", """{"lambdaCost":-0.5,"lambdaRisk":1,"lambdaEffort":0.5}""", "weights.lambdaCost" },
        { "weights", """{"lambdaCost":0.5,"lambdaRisk":0.5}""", "weights.lambdaEffort" },
        { "weights", """{"matrix":[[1,2],[0.5,1]]}""", "weights.matrix" },
        { "weights", """{"matrix":[[1,2,2],[0.5,1,1],[0.5,1,1]],"lambdaCost":1}""", "weights.matrix" },
        { "weights", """{"matrix":[[1,2,2],[0.5,1,1],[0.5,3,1]]}""", "weights.matrix[2][1]" },
    };

    [Theory]
    [MemberData(nameof(BadTangibles))]
    public async Task A_bad_tangible_input_is_a_400_naming_the_full_path_and_writes_nothing(string path, string? value, string field)
    {
        var id = await fixture.SharedSessionAsync();
        var body = With(HandExample(0), path, value);
        var before = await fixture.StateAsync(id);

        var response = await Put(fixture.Coordinator, id, body);

        await HttpAssert.ValidationProblemAsync(response, field);
        Assert.Equal(before, await fixture.StateAsync(id));
    }

    internal static Task<HttpResponseMessage> Put(Realtime.LiveServer.Session caller, Guid id, JsonNode body) =>
        caller.Http.PutAsJsonAsync($"{ContractRevisionTests.Url(id)}/tangible", body);

    /// <summary>Sets (or, with null, removes) the value at a path like <c>cost.costs[0][1]</c>.</summary>
    private static JsonObject With(JsonObject body, string path, string? value)
    {
        var steps = Step().Matches(path).Select(m => m.Groups[1].Success ? (object)m.Groups[1].Value : int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        JsonNode parent = body;
        foreach (var step in steps.SkipLast(1))
        {
            parent = step is string name ? parent[name]! : parent[(int)step]!;
        }

        var last = steps[^1];
        var node = value is null ? null : JsonNode.Parse(value);
        switch (last)
        {
            case string name when node is null:
                parent.AsObject().Remove(name);
                break;
            case string name:
                parent[name] = node;
                break;
            default:
                parent[(int)last] = node;
                break;
        }

        return body;
    }

    [GeneratedRegex(@"([A-Za-z]+)|\[(\d+)\]")]
    private static partial Regex Step();

    private static bool Close(double a, double b) => Math.Abs(a - b) < 1e-12;
}

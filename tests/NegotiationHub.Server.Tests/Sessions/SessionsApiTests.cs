using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Sessions;

public sealed class SessionsApiTests : IAsyncLifetime
{
    private LiveServer _server = null!;
    private LiveServer.Session _coordinator = null!;

    public async Task InitializeAsync()
    {
        _server = LiveServer.Start();
        _coordinator = await Negotiations.CreateUsersAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_3_plus_1_template_creates_the_four_parties_and_five_factors_in_draft()
    {
        var response = await _coordinator.Http.PostAsJsonAsync("/api/sessions", new { name = "Alliance", template = "3+1", pool = 1000 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await HttpAssert.OkJsonAsync(response);
        Assert.Equal("draft", json.GetProperty("state").GetString());
        Assert.Equal(["government", "enterprise", "university", "innovator"], json.GetProperty("parties").EnumerateArray().Select(p => p.GetProperty("category").GetString()));
        Assert.Equal(5, json.GetProperty("factors").GetArrayLength());
        Assert.All(json.GetProperty("factors").EnumerateArray(), f => Assert.Equal(0.2, f.GetProperty("weight").GetDouble(), 12));
        // Equal default strengths ⇒ h = ¼; linear, d = 0 ⇒ k* = hK = 250 each.
        Assert.All(json.GetProperty("targetAllocation").Doubles(), k => Assert.Equal(250, k, 9));
        Assert.Equal("coordinator", json.GetProperty("myRole").GetString());
    }

    [Fact]
    public async Task A_custom_session_takes_parties_utilities_strengths_and_an_ahp_factor_matrix()
    {
        // Saaty-consistent 2×2 matrix [[1, 3], [1/3, 1]] ⇒ weights (0.75, 0.25).
        var response = await _coordinator.Http.PostAsJsonAsync("/api/sessions", new
        {
            name = "Two firms",
            parties = new object[]
            {
                new { name = "A", category = "enterprise", utility = new { kind = "power", alpha = 0.5 }, disagreement = 10 },
                new { name = "B", category = "university", disagreement = 0 },
            },
            factors = new[] { new { name = "capability" }, new { name = "market" } },
            factorMatrix = new[] { new[] { 1.0, 3 }, new[] { 1.0 / 3, 1 } },
            strengths = new[] { new[] { 2.0, 1 }, new[] { 1.0, 1 } },
            pool = 100,
            bidMode = "open",
        });

        var json = await HttpAssert.OkJsonAsync(response);
        Assert.Equal([0.75, 0.25], json.GetProperty("factors").EnumerateArray().Select(f => Math.Round(f.GetProperty("weight").GetDouble(), 9)));
        // MODEL §1, n = 2: H_A = 0.75·2 + 0.25·1 = 1.75, H_B = 0.75·0.5 + 0.25·1 = 0.625 ⇒ h_A = 1.75/2.375.
        Assert.Equal(1.75 / 2.375, json.GetProperty("powers")[0].GetDouble(), 12);
        Assert.Equal("open", json.GetProperty("bidMode").GetString());
    }

    public static TheoryData<string, string> BadSetups => new()
    {
        { """{"template":"3+1","pool":100}""", "name" },
        { """{"name":"x","template":"3+1"}""", "pool" },
        { """{"name":"x","template":"3+1","pool":"NaN"}""", "pool" },
        { """{"name":"x","template":"3+1","pool":-1}""", "pool" },
        { """{"name":"x","template":"4+2","pool":100}""", "template" },
        { """{"name":"x","pool":100}""", "parties" },
        { """{"name":"x","pool":100,"parties":[{"name":"a"}]}""", "parties" },
        { """{"name":"x","pool":100,"parties":[{"name":"a"},{"name":""}]}""", "parties[1].name" },
        { """{"name":"x","pool":100,"parties":[{"name":"a","disagreement":60},{"name":"b","disagreement":50}]}""", "disagreement" },
        { """{"name":"x","pool":100,"parties":[{"name":"a","utility":{"kind":"power","alpha":3}},{"name":"b"}]}""", "parties[0].utility.alpha" },
        { """{"name":"x","pool":100,"parties":[{"name":"a","category":"alien"},{"name":"b"}]}""", "parties[0].category" },
        { """{"name":"x","template":"3+1","pool":100,"strengths":[[1,1,1,1,1]]}""", "strengths" },
        { """{"name":"x","template":"3+1","pool":100,"strengths":[[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,"Infinity"],[1,1,1,1,1]]}""", "strengths[2][4]" },
        { """{"name":"x","template":"3+1","pool":100,"factors":[{"name":"a","weight":0.7},{"name":"b","weight":0.7}],"strengths":[[1,1],[1,1],[1,1],[1,1]]}""", "factors.weight" },
        // Equal weights but a01 = 9: CR ≈ 0.24 and a01 departs most from w0/w1 (checked by hand with a power iteration).
        { """{"name":"x","template":"3+1","pool":100,"factors":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"d"}],"factorMatrix":[[1,9,1,1],[0.1111111111111111,1,1,1],[1,1,1,1],[1,1,1,1]],"strengths":[[1,1,1,1],[1,1,1,1],[1,1,1,1],[1,1,1,1]]}""", "factorMatrix[0][1]" },
        { """{"name":"x","template":"3+1","pool":100,"factors":[{"name":"a"},{"name":"b"}],"factorMatrix":[[1,2],[2,1]],"strengths":[[1,1],[1,1],[1,1],[1,1]]}""", "factorMatrix[1][0]" },
        { """{"name":"x","template":"3+1","pool":100,"roundDeadlineSeconds":1}""", "roundDeadlineSeconds" },
        { """{"name":"x","template":"3+1","pool":100,"autoConcessionLambda":0}""", "autoConcessionLambda" },
        { """{"name":"x","template":"3+1","pool":100,"bidMode":"secret"}""", "bidMode" },
    };

    [Theory]
    [MemberData(nameof(BadSetups))]
    public async Task Bad_set_up_gets_a_400_naming_the_field_and_creates_nothing(string body, string field)
    {
        var before = await SessionCountAsync();

        var response = await _coordinator.Http.PostAsync("/api/sessions", HttpAssert.Json(body));

        await HttpAssert.ValidationProblemAsync(response, field);
        Assert.Equal(before, await SessionCountAsync());
    }

    [Fact]
    public async Task Only_coordinators_create_and_only_the_sessions_coordinators_change_it()
    {
        var member = await _server.SignInAsync("gov");
        var auditor = await _server.SignInAsync("auditor");
        var created = await member.Http.PostAsJsonAsync("/api/sessions", new { name = "x", template = "3+1", pool = 10 });
        Assert.Equal(HttpStatusCode.Forbidden, created.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.Http.PostAsJsonAsync("/api/sessions", new { name = "x", template = "3+1", pool = 10 })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Anonymous().PostAsJsonAsync("/api/sessions", new { name = "x", template = "3+1", pool = 10 })).StatusCode);

        var id = await Negotiations.CreateSessionAsync(_coordinator);
        var before = await SessionCountAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.PostAsync($"/api/sessions/{id}/close", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.Http.PostAsJsonAsync($"/api/sessions/{id}/members", new { userName = "outsider", partyIndex = 0 })).StatusCode);
        var outsider = await _server.SignInAsync("outsider");
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"/api/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _coordinator.Http.GetAsync($"/api/sessions/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(before, await SessionCountAsync());
        await using var db = _server.Database();
        Assert.Equal(5, await db.Memberships.CountAsync(m => m.SessionId == id && m.Role != Data.Entities.SessionRole.Coordinator));
    }

    [Fact]
    public async Task Members_list_only_their_own_sessions_with_their_party_and_paging_works()
    {
        var first = await Negotiations.CreateSessionAsync(_coordinator);
        await _coordinator.Http.PostAsJsonAsync("/api/sessions", new { name = "Not gov's", template = "3+1", pool = 10 });
        var gov = await _server.SignInAsync("gov");

        var mine = await HttpAssert.OkJsonAsync(await gov.Http.GetAsync("/api/sessions"));
        var item = Assert.Single(mine.GetProperty("items").EnumerateArray());
        Assert.Equal(first, item.GetProperty("id").GetGuid());
        Assert.Equal(0, item.GetProperty("myParty").GetInt32());

        var page = await HttpAssert.OkJsonAsync(await _coordinator.Http.GetAsync("/api/sessions?page=2&pageSize=1"));
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        Assert.Single(page.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Sessions_made_in_the_same_instant_page_without_overlap()
    {
        // The manual clock stands still: every session has the same CreatedUtc.
        var made = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            var created = await HttpAssert.OkJsonAsync(await _coordinator.Http.PostAsJsonAsync("/api/sessions", new { name = $"same instant {i}", template = "3+1", pool = 10 }));
            made.Add(created.GetProperty("id").GetGuid());
        }

        var listed = new List<Guid>();
        for (var page = 1; page <= 4; page++)
        {
            var items = await HttpAssert.OkJsonAsync(await _coordinator.Http.GetAsync($"/api/sessions?page={page}&pageSize=2"));
            listed.AddRange(items.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
        }

        Assert.Equal(made.Order(), listed.Order());
    }

    [Fact]
    public async Task Members_are_added_once_to_an_existing_party_and_configuration_is_only_for_drafts()
    {
        var created = await HttpAssert.OkJsonAsync(await _coordinator.Http.PostAsJsonAsync("/api/sessions", new { name = "x", template = "3+1", pool = 10 }));
        var id = created.GetProperty("id").GetGuid();

        await HttpAssert.ValidationProblemAsync(await _coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/members", new { userName = "gov", partyIndex = 4 }), "partyIndex");
        await HttpAssert.ValidationProblemAsync(await _coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/members", new { userName = "nobody", partyIndex = 0 }), "userName");
        await HttpAssert.ValidationProblemAsync(await _coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/members", new { userName = "gov" }), "partyIndex");
        await HttpAssert.ValidationProblemAsync(await _coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/members", new { userName = "gov", role = "auditor" }), "role");
        Assert.True((await _coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/members", new { userName = "gov", partyIndex = 0 })).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/members", new { userName = "gov", partyIndex = 1 })).StatusCode);

        var reconfigured = await _coordinator.Http.PutAsJsonAsync($"/api/sessions/{id}/configuration", new { name = "y", template = "3+1", pool = 20 });
        Assert.Equal(20, (await HttpAssert.OkJsonAsync(reconfigured)).GetProperty("pool").GetDouble());
        Assert.True((await _coordinator.Http.PostAsync($"/api/sessions/{id}/open", null)).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _coordinator.Http.PutAsJsonAsync($"/api/sessions/{id}/configuration", new { name = "z", template = "3+1", pool = 30 })).StatusCode);
    }

    [Fact]
    public async Task Strength_readings_of_a_later_period_change_the_powers_and_past_periods_are_kept()
    {
        var id = await Negotiations.CreateSessionAsync(_coordinator);
        double[][] stronger = [[4, 4, 4, 4, 4], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]];

        var detail = await HttpAssert.OkJsonAsync(await _coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/strengths", new { period = 1, strengths = stronger }));

        // l_0 = 4/1 on every factor, l_j = 1/((4+1+1)/3) = ½ for the others ⇒ H = (4, ½, ½, ½), h_0 = 4/5.5.
        Assert.Equal(1, detail.GetProperty("currentPeriod").GetInt32());
        Assert.Equal(4 / 5.5, detail.GetProperty("powers")[0].GetDouble(), 12);
        await HttpAssert.ValidationProblemAsync(await _coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/strengths", new { period = 1, strengths = stronger }), "period");
        await using var db = _server.Database();
        Assert.Equal(40, await db.StrengthReadings.CountAsync(r => r.SessionId == id));
    }

    private async Task<int> SessionCountAsync()
    {
        await using var db = _server.Database();
        return await db.Sessions.CountAsync();
    }
}

internal static class JsonExtensions
{
    public static double[] Doubles(this JsonElement element) => element.EnumerateArray().Select(e => e.GetDouble()).ToArray();
}

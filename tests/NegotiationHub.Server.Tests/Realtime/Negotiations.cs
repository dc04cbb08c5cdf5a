using System.Net.Http.Json;
using System.Text.Json;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>Sets up users and sessions through the public REST API.</summary>
public static class Negotiations
{
    public static readonly string[] MemberNames = ["gov", "ent", "uni", "inn"];

    /// <summary>A coordinator, four members, an auditor and an outsider member.</summary>
    public static async Task<LiveServer.Session> CreateUsersAsync(LiveServer server)
    {
        var admin = await server.SignInAsync("admin", LiveServer.AdminPassword);
        await CreateUserAsync(admin, "coordinator", "Coordinator");
        foreach (var name in MemberNames)
        {
            await CreateUserAsync(admin, name, "Member");
        }

        await CreateUserAsync(admin, "outsider", "Member");
        await CreateUserAsync(admin, "auditor", "Auditor");
        return await server.SignInAsync("coordinator");
    }

    public static async Task CreateUserAsync(LiveServer.Session admin, string userName, string role)
    {
        var response = await admin.Http.PostAsJsonAsync("/api/users", new { userName, password = LiveServer.Password, role });
        Assert.True(response.IsSuccessStatusCode, $"create {userName}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// A 3+1 session with equal strengths (h = ¼ each), linear utilities, d = 0 and K = 100, so the
    /// NBS is k* = (25, 25, 25, 25) (MODEL §3: linear, d = 0 ⇒ k_i = h_i·K). Members added, opened.
    /// The tangible pool N and the revision λ are the contract tests' knobs.
    /// </summary>
    public static async Task<Guid> CreateSessionAsync(LiveServer.Session coordinator, string bidMode = "sealed", bool withAuditor = true, double tangiblePool = 0, double revisionLambda = 0.5)
    {
        var response = await coordinator.Http.PostAsJsonAsync("/api/sessions", new { name = "Test alliance", template = "3+1", pool = 100, tangiblePool, revisionLambda, bidMode, roundDeadlineSeconds = 60 });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        for (var i = 0; i < MemberNames.Length; i++)
        {
            var added = await coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/members", new { userName = MemberNames[i], partyIndex = i });
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        }

        if (withAuditor)
        {
            var added = await coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/members", new { userName = "auditor", role = "auditor" });
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        }

        var opened = await coordinator.Http.PostAsync($"/api/sessions/{id}/open", null);
        Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());
        return id;
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace NegotiationHub.Cluster.Tests.Harness;

/// <summary>A signed-in user: the cookie jar its HTTP and hub connections share.</summary>
internal sealed record Account(string UserName, CookieContainer Cookies);

/// <summary>The coordinator and the four members (one per party of the 3+1 template) every session uses.</summary>
internal sealed record AllianceAccounts(Account Coordinator, IReadOnlyList<Account> Members);

/// <summary>A session as created through the entry point, and the node that answered for it.</summary>
internal sealed record CreatedSession(Guid Id, string? Node);

/// <summary>Sets up users and 3+1 sessions through the public REST API, as an operator would.</summary>
internal static class Alliance
{
    public const string Password = "member-password-1";
    public static readonly string[] MemberNames = ["gov", "ent", "uni", "inn"];

    /// <summary>The admin creates a coordinator and four members; each signs in once (the cookie works on every node).</summary>
    public static async Task<AllianceAccounts> CreateAccountsAsync(Uri entry)
    {
        var admin = await SignInAsync(entry, ServerProcess.AdminUser, ServerProcess.AdminPassword);
        using var http = Http(entry, admin.Cookies);
        foreach (var (name, role) in MemberNames.Select(n => (n, "Member")).Prepend(("coordinator", "Coordinator")))
        {
            await EnsureSuccessAsync(await http.PostAsJsonAsync("/api/users", new { userName = name, password = Password, role }), $"create {name}");
        }

        var members = new List<Account>();
        foreach (var name in MemberNames)
        {
            members.Add(await SignInAsync(entry, name, Password));
        }

        return new AllianceAccounts(await SignInAsync(entry, "coordinator", Password), members);
    }

    /// <summary>
    /// A 3+1 session with equal strengths, linear utilities, d = 0 and K = 100 (so the NBS is 25
    /// each), sealed bids and a long round deadline (no round closes by the clock in these tests);
    /// members added, opened. The node is the X-Node of the open call, which names the session.
    /// </summary>
    public static async Task<CreatedSession> CreateSessionAsync(Uri entry, AllianceAccounts accounts, string name)
    {
        using var http = Http(entry, accounts.Coordinator.Cookies);
        var created = await http.PostAsJsonAsync("/api/sessions", new { name, template = "3+1", pool = 100, bidMode = "sealed", roundDeadlineSeconds = 3600 });
        var body = await EnsureSuccessAsync(created, "create session");
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        for (var i = 0; i < MemberNames.Length; i++)
        {
            await EnsureSuccessAsync(await http.PostAsJsonAsync($"/api/sessions/{id}/members", new { userName = MemberNames[i], partyIndex = i }), "add member");
        }

        var opened = await http.PostAsync(new Uri($"/api/sessions/{id}/open", UriKind.Relative), null);
        await EnsureSuccessAsync(opened, "open session");
        return new CreatedSession(id, NodeOf(opened));
    }

    /// <summary>Which node answered for a session now (GET /api/sessions/{id} through the entry point).</summary>
    public static async Task<string?> NodeServingAsync(Uri entry, Account account, Guid sessionId)
    {
        using var http = Http(entry, account.Cookies);
        var response = await http.GetAsync(new Uri($"/api/sessions/{sessionId}", UriKind.Relative));
        await EnsureSuccessAsync(response, "read session");
        return NodeOf(response);
    }

    public static HttpClient Http(Uri entry, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = entry, Timeout = TimeSpan.FromSeconds(30) };

    private static string? NodeOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Node", out var values) ? values.Single() : null;

    private static async Task<Account> SignInAsync(Uri entry, string userName, string password)
    {
        var cookies = new CookieContainer();
        using var http = Http(entry, cookies);
        await EnsureSuccessAsync(await http.PostAsJsonAsync("/api/account/login", new { userName, password }), $"sign in as {userName}");
        return new Account(userName, cookies);
    }

    private static async Task<string> EnsureSuccessAsync(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {body}");
        return body;
    }
}

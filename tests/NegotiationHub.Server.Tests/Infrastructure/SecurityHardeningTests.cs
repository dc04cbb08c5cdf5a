using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Server.Accounts;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Infrastructure;

/// <summary>
/// Issue 20, items 3, 8 (sign-out), 9 and 10, over a real Kestrel server: each test fails on the
/// commit before this one.
/// </summary>
public class SecurityHardeningTests
{
    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/api/sessions")]
    [InlineData("POST", "/api/models/nash")]
    [InlineData("GET", "/openapi/v1.json")]
    public async Task Every_response_carries_the_security_headers_and_no_server_header(string method, string path)
    {
        await using var server = LiveServer.Start();
        using var http = server.Anonymous();

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("""{"pool":-1,"powers":[0.5,0.5]}""", System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("Server"), "no Server header");
    }

    [Fact]
    public async Task Signing_out_revokes_every_copy_of_the_cookie()
    {
        await using var server = LiveServer.Start();
        await Negotiations.CreateUsersAsync(server);
        var member = await server.SignInAsync("gov");
        var copied = member.Cookies.GetCookieHeader(server.BaseAddress);
        Assert.Contains(IdentitySetup.CookieName, copied, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await member.Http.PostAsync("/api/account/logout", null)).StatusCode);

        using var thief = server.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/account/me");
        request.Headers.Add("Cookie", copied);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("true", true)]
    public async Task The_sign_in_cookie_is_a_session_cookie_unless_configured_persistent(string? persistent, bool expires)
    {
        await using var server = LiveServer.Start(settings: persistent is null ? null : new Dictionary<string, string?> { ["Auth:PersistentCookie"] = persistent });
        using var http = server.Anonymous();

        var response = await http.PostAsJsonAsync("/api/account/login", new { userName = "admin", password = LiveServer.AdminPassword });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(IdentitySetup.CookieName + "=", StringComparison.Ordinal));
        Assert.Equal(expires, cookie.Contains("expires=", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_auditor_cannot_be_made_a_bidding_member_and_nothing_is_written()
    {
        await using var server = LiveServer.Start();
        var coordinator = await Negotiations.CreateUsersAsync(server);
        var created = await coordinator.Http.PostAsJsonAsync("/api/sessions", new { name = "Roles", template = "3+1", pool = 100, bidMode = "sealed", roundDeadlineSeconds = 60 });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        var response = await coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/members", new { userName = "auditor", partyIndex = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("auditor", problem.GetProperty("errors").GetProperty("userName")[0].GetString(), StringComparison.Ordinal);
        await using var db = server.Database();
        var auditorId = await db.Users.Where(u => u.UserName == "auditor").Select(u => u.Id).SingleAsync();
        Assert.False(await db.Memberships.AnyAsync(m => m.SessionId == id && m.UserId == auditorId));
    }

    [Theory]
    [InlineData("zhang.wei", "password1234", "PasswordTooCommon")]
    [InlineData("zhang.wei", "Qwertyuiop123!", "PasswordTooCommon")]
    [InlineData("zhang.wei", "123456789012", "PasswordTooCommon")]
    [InlineData("zhang.wei", "zhang.wei1234", "contain the user name")]
    [InlineData("zhang.wei", "lantern-77x", "12")]
    public async Task Weak_passwords_are_refused_naming_the_password(string userName, string password, string why)
    {
        await using var server = LiveServer.Start();
        var admin = await server.SignInAsync("admin", LiveServer.AdminPassword);

        var response = await admin.Http.PostAsJsonAsync("/api/users", new { userName, password, role = "Member" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("password");
        var text = string.Join(" ", errors.EnumerateArray().Select(e => e.GetString()));
        Assert.True(text.Contains(why, StringComparison.Ordinal) || (why == "PasswordTooCommon" && text.Contains("most common", StringComparison.Ordinal)), text);
        await using var db = server.Database();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == userName));
    }

    [Fact]
    public async Task A_long_uncommon_password_is_accepted()
    {
        await using var server = LiveServer.Start();
        var admin = await server.SignInAsync("admin", LiveServer.AdminPassword);

        var response = await admin.Http.PostAsJsonAsync("/api/users", new { userName = "zhang.wei", password = "amber-river-7-lantern", role = "Member" });

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}

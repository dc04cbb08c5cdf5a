using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data.Audit;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Accounts;

/// <summary>
/// Issue 21 over a real Kestrel: invitations with one-time links (made by an admin or by a
/// coordinator for their own session), expiry and revocation, CSV onboarding validated row by row,
/// disabling, re-roling and reset links, and self-service passwords. None of these endpoints
/// existed on the commit before this one.
/// </summary>
public sealed class AccountAdminTests : IAsyncLifetime
{
    private const string NewPassword = "quiet-harbour-lights-7";
    private LiveServer _server = null!;
    private LiveServer.Session _admin = null!;
    private LiveServer.Session _coordinator = null!;
    private Guid _session;

    public async Task InitializeAsync()
    {
        _server = LiveServer.Start();
        _coordinator = await Negotiations.CreateUsersAsync(_server);
        _admin = await _server.SignInAsync("admin", LiveServer.AdminPassword);
        _session = await Negotiations.CreateSessionAsync(_coordinator);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_invitee_chooses_a_password_once_and_is_signed_in_and_only_the_tokens_hash_is_stored()
    {
        var invitation = await HttpAssert.OkJsonAsync(await _admin.Http.PostAsJsonAsync("/api/invitations", new { userName = "newcomer", displayName = "New 新人", role = "Coordinator" }));
        var link = invitation.GetProperty("link").GetString()!;
        Assert.StartsWith(_server.BaseAddress + "#/invite/", link, StringComparison.Ordinal);
        var token = link[(link.LastIndexOf('/') + 1)..];

        using var anonymous = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _server.BaseAddress };
        var preview = await HttpAssert.OkJsonAsync(await anonymous.GetAsync($"/api/invitations/token/{token}"));
        Assert.Equal("newcomer", preview.GetProperty("userName").GetString());
        Assert.Equal("Coordinator", preview.GetProperty("role").GetString());

        // The password policy applies, and a refused password leaves the link usable.
        await HttpAssert.ValidationProblemAsync(await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token, password = "password1234" }), "password");
        var accepted = await HttpAssert.OkJsonAsync(await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token, password = NewPassword }));
        Assert.Equal(["Coordinator"], accepted.GetProperty("user").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var me = await HttpAssert.OkJsonAsync(await anonymous.GetAsync("/api/account/me"));
        Assert.Equal("New 新人", me.GetProperty("displayName").GetString());

        await AssertGoneAsync(await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token, password = NewPassword }), "invitation_used");
        await AssertGoneAsync(await anonymous.GetAsync($"/api/invitations/token/{token}"), "invitation_used");
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/invitations/token/not-a-token")).StatusCode);

        await using var db = _server.Database();
        var stored = await db.Invitations.AsNoTracking().SingleAsync(i => i.UserName == "newcomer");
        Assert.NotEqual(token, stored.TokenHash);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))), stored.TokenHash);
        await AssertGlobalChainValidAsync();
    }

    [Fact]
    public async Task A_coordinator_invites_members_to_their_own_sessions_party_and_nowhere_else()
    {
        var made = await HttpAssert.OkJsonAsync(await _coordinator.Http.PostAsJsonAsync("/api/invitations", new { userName = "gov2", sessionId = _session, partyIndex = 0 }));
        var token = made.GetProperty("link").GetString()!.Split('/')[^1];
        using var anonymous = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _server.BaseAddress };
        var accepted = await HttpAssert.OkJsonAsync(await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token, password = NewPassword }));
        Assert.Equal(_session, accepted.GetProperty("sessionId").GetGuid());
        var detail = await HttpAssert.OkJsonAsync(await anonymous.GetAsync($"/api/sessions/{_session}"));
        Assert.Equal(0, detail.GetProperty("myParty").GetInt32());
        var verification = await HttpAssert.OkJsonAsync(await (await _server.SignInAsync("auditor")).Http.GetAsync($"/api/audit/verify?sessionId={_session}"));
        Assert.True(verification.GetProperty("valid").GetBoolean(), verification.ToString());

        // Refusals: another coordinator's session, no session, a role other than Member, a party out of range, a taken name.
        var admin2 = _admin;
        await Negotiations.CreateUserAsync(admin2, "coordinator2", "Coordinator");
        var other = await _server.SignInAsync("coordinator2");
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.PostAsJsonAsync("/api/invitations", new { userName = "x1", sessionId = _session, partyIndex = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _coordinator.Http.PostAsJsonAsync("/api/invitations", new { userName = "x2", role = "Member" })).StatusCode);
        await HttpAssert.ValidationProblemAsync(await _coordinator.Http.PostAsJsonAsync("/api/invitations", new { userName = "x3", role = "Admin", sessionId = _session, partyIndex = 0 }), "role");
        await HttpAssert.ValidationProblemAsync(await _coordinator.Http.PostAsJsonAsync("/api/invitations", new { userName = "x4", sessionId = _session, partyIndex = 9 }), "partyIndex");
        await HttpAssert.ValidationProblemAsync(await _coordinator.Http.PostAsJsonAsync("/api/invitations", new { userName = "gov", sessionId = _session, partyIndex = 0 }), "userName");
        var member = await _server.SignInAsync("ent");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.PostAsJsonAsync("/api/invitations", new { userName = "x5", sessionId = _session, partyIndex = 0 })).StatusCode);
    }

    [Fact]
    public async Task Expired_and_revoked_links_are_refused_clearly()
    {
        var expiring = await HttpAssert.OkJsonAsync(await _admin.Http.PostAsJsonAsync("/api/invitations", new { userName = "late", role = "Member", validHours = 1 }));
        var revoked = await HttpAssert.OkJsonAsync(await _admin.Http.PostAsJsonAsync("/api/invitations", new { userName = "unwanted", role = "Member" }));
        Assert.Equal(HttpStatusCode.OK, (await _admin.Http.PostAsync($"/api/invitations/{revoked.GetProperty("id").GetGuid()}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _admin.Http.PostAsync($"/api/invitations/{revoked.GetProperty("id").GetGuid()}/revoke", null)).StatusCode);
        await HttpAssert.ValidationProblemAsync(await _admin.Http.PostAsJsonAsync("/api/invitations", new { userName = "never", role = "Member", validHours = 0 }), "validHours");

        _server.Clock.Advance(TimeSpan.FromMinutes(61));

        using var anonymous = _server.Anonymous();
        await AssertGoneAsync(await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token = Token(expiring), password = NewPassword }), "invitation_expired");
        await AssertGoneAsync(await anonymous.GetAsync($"/api/invitations/token/{Token(revoked)}"), "invitation_revoked");
        var list = await HttpAssert.OkJsonAsync(await _admin.Http.GetAsync("/api/invitations"));
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("userName").GetString() == "late" && i.GetProperty("status").GetString() == "expired");
        Assert.All(list.GetProperty("items").EnumerateArray(), i => Assert.Equal(JsonValueKind.Null, i.GetProperty("link").ValueKind));
        await using var db = _server.Database();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "late" || u.UserName == "unwanted"));
    }

    [Fact]
    public async Task A_csv_is_checked_row_by_row_and_nothing_is_made_unless_every_row_is_valid()
    {
        const string bad = "userName,displayName,party\nalpha,Alpha,0\nbeta,Beta,Nowhere\nalpha,Again,1\ngov,Taken,2\ngamma,Gamma\n";
        var response = await _coordinator.Http.PostAsJsonAsync($"/api/sessions/{_session}/invitations/import", new { csv = bad });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["csv[3].party", "csv[4].userName", "csv[5].userName", "csv[6]"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        await using (var db = _server.Database())
        {
            Assert.Equal(0, await db.Invitations.CountAsync());
        }

        var good = "userName,displayName,party\nalpha,Alpha 甲,0\n\"beta\",\"Beta, Ltd.\",Enterprise\n";
        var links = await HttpAssert.OkJsonAsync(await _coordinator.Http.PostAsJsonAsync($"/api/sessions/{_session}/invitations/import", new { csv = good }));
        Assert.Equal(2, links.GetArrayLength());
        Assert.Equal("Beta, Ltd.", links[1].GetProperty("displayName").GetString());
        Assert.Equal(1, links[1].GetProperty("partyIndex").GetInt32());
        Assert.All(links.EnumerateArray(), l => Assert.Contains("#/invite/", l.GetProperty("link").GetString(), StringComparison.Ordinal));
        var listed = await HttpAssert.OkJsonAsync(await _coordinator.Http.GetAsync($"/api/invitations?sessionId={_session}"));
        Assert.Equal(2, listed.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_disabled_user_is_signed_out_everywhere_at_once_and_cannot_sign_in_until_enabled()
    {
        var gov = await _server.SignInAsync("gov");
        var id = await UserIdAsync("gov");

        var disabled = await HttpAssert.OkJsonAsync(await _admin.Http.PostAsync($"/api/users/{id}/disable", null));
        Assert.True(disabled.GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await gov.Http.GetAsync("/api/account/me")).StatusCode);
        using var anonymous = _server.Anonymous();
        var refused = await anonymous.PostAsJsonAsync("/api/account/login", new { userName = "gov", password = LiveServer.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _admin.Http.PostAsync($"/api/users/{await UserIdAsync("admin")}/disable", null)).StatusCode);

        // A reset link does not sign a disabled user in.
        var reset = await HttpAssert.OkJsonAsync(await _admin.Http.PostAsync($"/api/users/{id}/password-reset", null));
        var used = await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token = Token(reset), password = NewPassword });
        Assert.Equal(HttpStatusCode.Forbidden, used.StatusCode);
        Assert.Equal("account_disabled", JsonDocument.Parse(await used.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());

        Assert.Equal(HttpStatusCode.OK, (await _admin.Http.PostAsync($"/api/users/{id}/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/account/login", new { userName = "gov", password = LiveServer.Password })).StatusCode);
        var found = await HttpAssert.OkJsonAsync(await _admin.Http.GetAsync("/api/users?q=GO&pageSize=10"));
        Assert.Equal(["gov"], found.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("userName").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await _coordinator.Http.PostAsync($"/api/users/{id}/disable", null)).StatusCode);
        await using var db = _server.Database();
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Chain == AuditChain.GlobalChain && (e.Type == AuditEvents.UserDisabled || e.Type == AuditEvents.UserEnabled)));
    }

    [Fact]
    public async Task Roles_change_within_the_rules_and_every_change_is_in_the_verified_chain()
    {
        await HttpAssert.ValidationProblemAsync(await _admin.Http.PutAsJsonAsync($"/api/users/{await UserIdAsync("auditor")}/roles", new { roles = new[] { "Auditor", "Member" } }), "roles");
        // gov bids for a party: never an auditor.
        await HttpAssert.ValidationProblemAsync(await _admin.Http.PutAsJsonAsync($"/api/users/{await UserIdAsync("gov")}/roles", new { roles = new[] { "Auditor" } }), "roles");
        await HttpAssert.ValidationProblemAsync(await _admin.Http.PutAsJsonAsync($"/api/users/{await UserIdAsync("gov")}/roles", new { roles = new[] { "Chairman" } }), "roles");
        Assert.Equal(HttpStatusCode.Conflict, (await _admin.Http.PutAsJsonAsync($"/api/users/{await UserIdAsync("admin")}/roles", new { roles = new[] { "Coordinator" } })).StatusCode);

        var changed = await HttpAssert.OkJsonAsync(await _admin.Http.PutAsJsonAsync($"/api/users/{await UserIdAsync("outsider")}/roles", new { roles = new[] { "Coordinator", "Auditor" } }));
        Assert.Equal(["Auditor", "Coordinator"], changed.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Order(StringComparer.Ordinal));
        var outsider = await _server.SignInAsync("outsider");
        Assert.Equal(HttpStatusCode.OK, (await outsider.Http.GetAsync("/api/audit/verify")).StatusCode); // the auditor role took effect
        await AssertGlobalChainValidAsync();
        await using var db = _server.Database();
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Chain == AuditChain.GlobalChain && e.Type == AuditEvents.RoleGranted));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Chain == AuditChain.GlobalChain && e.Type == AuditEvents.RoleRevoked));
    }

    [Fact]
    public async Task A_reset_link_lets_a_user_choose_a_new_password_and_the_old_one_stops_working()
    {
        var reset = await HttpAssert.OkJsonAsync(await _admin.Http.PostAsync($"/api/users/{await UserIdAsync("uni")}/password-reset", null));
        Assert.Equal("reset", reset.GetProperty("kind").GetString());
        using var anonymous = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _server.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token = Token(reset), password = NewPassword })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Anonymous().PostAsJsonAsync("/api/account/login", new { userName = "uni", password = LiveServer.Password })).StatusCode);
        await _server.SignInAsync("uni", NewPassword);
    }

    [Fact]
    public async Task Users_change_their_own_password_and_sign_out_their_other_devices()
    {
        var here = await _server.SignInAsync("inn");
        var elsewhere = await _server.SignInAsync("inn");
        await HttpAssert.ValidationProblemAsync(await here.Http.PostAsJsonAsync("/api/account/password", new { currentPassword = "not-my-password-1", newPassword = NewPassword }), "currentPassword");
        await HttpAssert.ValidationProblemAsync(await here.Http.PostAsJsonAsync("/api/account/password", new { currentPassword = LiveServer.Password, newPassword = "inn-inn-1234-inn" }), "newPassword");

        Assert.Equal(HttpStatusCode.NoContent, (await here.Http.PostAsJsonAsync("/api/account/password", new { currentPassword = LiveServer.Password, newPassword = NewPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.Http.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.Http.GetAsync("/api/account/me")).StatusCode);

        var third = await _server.SignInAsync("inn", NewPassword);
        Assert.Equal(HttpStatusCode.NoContent, (await here.Http.PostAsync("/api/account/sign-out-elsewhere", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.Http.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await third.Http.GetAsync("/api/account/me")).StatusCode);
    }

    private static string Token(JsonElement invitation) => invitation.GetProperty("link").GetString()!.Split('/')[^1];

    private static async Task AssertGoneAsync(HttpResponseMessage response, string code)
    {
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal(code, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }

    private async Task<string> UserIdAsync(string userName)
    {
        await using var db = _server.Database();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }

    private async Task AssertGlobalChainValidAsync()
    {
        var verification = await HttpAssert.OkJsonAsync(await (await _server.SignInAsync("auditor")).Http.GetAsync("/api/audit/verify"));
        Assert.True(verification.GetProperty("valid").GetBoolean(), verification.ToString());
    }
}

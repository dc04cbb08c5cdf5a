using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Sessions;

public sealed class AccountsApiTests : IAsyncLifetime
{
    private LiveServer _server = null!;

    public Task InitializeAsync()
    {
        _server = LiveServer.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_first_admin_comes_from_configuration_and_signs_in_with_a_cookie()
    {
        var admin = await _server.SignInAsync("admin", LiveServer.AdminPassword);

        var me = await HttpAssert.OkJsonAsync(await admin.Http.GetAsync("/api/account/me"));
        Assert.Equal("admin", me.GetProperty("userName").GetString());
        Assert.Equal(["Admin"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains(admin.Cookies.GetAllCookies(), c => c.Name == "nh.auth" && c.HttpOnly);
    }

    [Fact]
    public async Task A_wrong_password_is_401_and_one_address_is_throttled_before_it_could_lock_the_account()
    {
        var anonymous = _server.Anonymous();
        for (var i = 0; i < 4; i++)
        {
            var response = await anonymous.PostAsJsonAsync("/api/account/login", new { userName = "admin", password = "wrong-password-9" });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // The fifth try from the same address would lock the account; it is throttled instead (issue 20,
        // item 4). Lockout by failures from several addresses: ProxyAndThrottleTests.
        var throttled = await anonymous.PostAsJsonAsync("/api/account/login", new { userName = "admin", password = LiveServer.AdminPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        await using var db = _server.Database();
        Assert.Null((await db.Users.SingleAsync(u => u.UserName == "admin")).LockoutEnd);
    }

    [Fact]
    public async Task Anonymous_and_non_admin_callers_cannot_manage_users()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Anonymous().GetAsync("/api/account/me")).StatusCode);
        var admin = await _server.SignInAsync("admin", LiveServer.AdminPassword);
        await Negotiations.CreateUserAsync(admin, "gov", "Member");
        var member = await _server.SignInAsync("gov");

        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.PostAsJsonAsync("/api/users", new { userName = "x1", password = LiveServer.Password, role = "Admin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.GetAsync("/api/users")).StatusCode);
    }

    [Theory]
    [InlineData("""{"userName":"","password":"member-password-1","role":"Member"}""", "userName")]
    [InlineData("""{"userName":"u1","password":"short1","role":"Member"}""", "password")]
    [InlineData("""{"userName":"u1","password":"nodigitsatall","role":"Member"}""", "password")]
    [InlineData("""{"userName":"u1","password":"member-password-1","role":"King"}""", "role")]
    [InlineData("""{"userName":"bad name!","password":"member-password-1","role":"Member"}""", "userName")]
    public async Task User_creation_enforces_the_password_policy_and_names_the_field(string body, string field)
    {
        var admin = await _server.SignInAsync("admin", LiveServer.AdminPassword);

        await HttpAssert.ValidationProblemAsync(await admin.Http.PostAsync("/api/users", HttpAssert.Json(body)), field);
    }

    [Fact]
    public async Task The_language_is_remembered_per_user()
    {
        var admin = await _server.SignInAsync("admin", LiveServer.AdminPassword);

        var changed = await HttpAssert.OkJsonAsync(await admin.Http.PutAsJsonAsync("/api/account/language", new { language = "en" }));
        Assert.Equal("en", changed.GetProperty("language").GetString());
        var again = await _server.SignInAsync("admin", LiveServer.AdminPassword);
        Assert.Equal("en", (await HttpAssert.OkJsonAsync(await again.Http.GetAsync("/api/account/me"))).GetProperty("language").GetString());
        await HttpAssert.ValidationProblemAsync(await admin.Http.PutAsJsonAsync("/api/account/language", new { language = "fr" }), "language");
    }
}

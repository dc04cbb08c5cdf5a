using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Contracts;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Infrastructure;

/// <summary>
/// Issue 20, item 4 (and issue 17's proxy point): behind a configured reverse proxy the server sees
/// the real client address, scheme and host; failed sign-ins are throttled per address below the
/// account lockout, so nobody locks another user out from one address. Fails on the commit before.
/// </summary>
public class ProxyAndThrottleTests
{
    private static readonly Dictionary<string, string?> BehindProxy = new() { ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" };

    [Fact]
    public async Task One_address_is_throttled_before_it_can_lock_an_account_and_lockout_needs_several()
    {
        await using var server = LiveServer.Start(settings: BehindProxy);
        await Negotiations.CreateUsersAsync(server);
        using var http = server.Anonymous();

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, "gov", "not-the-password-1", from: "203.0.113.1")).StatusCode);
        }

        var throttled = await LoginAsync(http, "gov", "not-the-password-1", from: "203.0.113.1");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter is not null);
        // The account is not locked: its owner signs in from their own address.
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(http, "gov", LiveServer.Password, from: "198.51.100.7")).StatusCode);

        // Failures from several addresses do lock it (Identity's lockout, 5 in a row).
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, "ent", "not-the-password-1", from: $"192.0.2.{i + 1}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, "ent", LiveServer.Password, from: "198.51.100.8")).StatusCode);
        await using var db = server.Database();
        Assert.NotNull((await db.Users.SingleAsync(u => u.UserName == "ent")).LockoutEnd);
    }

    [Fact]
    public async Task Without_a_configured_proxy_forwarded_headers_are_ignored()
    {
        await using var server = LiveServer.Start();
        await Negotiations.CreateUsersAsync(server);
        using var http = server.Anonymous();

        for (var i = 0; i < 4; i++)
        {
            await LoginAsync(http, "gov", "not-the-password-1", from: $"203.0.113.{i + 1}");
        }

        // Every attempt came from 127.0.0.1, whatever X-Forwarded-For claimed.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(http, "gov", "not-the-password-1", from: "203.0.113.99")).StatusCode);
    }

    [Fact]
    public async Task Behind_a_TLS_proxy_the_cookie_is_secure()
    {
        await using var server = LiveServer.Start(settings: BehindProxy);
        using var http = server.Anonymous();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/account/login")
        {
            Content = JsonContent.Create(new { userName = "admin", password = LiveServer.AdminPassword }),
        };
        request.Headers.Add("X-Forwarded-For", "203.0.113.1");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("nh.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("https", true)]
    [InlineData("http", false)]
    public async Task Behind_a_TLS_proxy_responses_carry_HSTS_and_over_plain_HTTP_they_do_not(string scheme, bool expected)
    {
        await using var server = LiveServer.Start(settings: BehindProxy);
        using var http = server.Anonymous();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-For", "203.0.113.1");
        request.Headers.Add("X-Forwarded-Proto", scheme);
        request.Headers.Add("X-Forwarded-Host", "alliance.example");
        var response = await http.SendAsync(request);

        Assert.Equal(expected, response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task A_proxy_that_rewrites_Host_does_not_make_the_hub_refuse_the_browsers_own_origin()
    {
        await using var server = LiveServer.Start(settings: BehindProxy);
        using var http = server.Anonymous();

        // nginx's default: Host is the upstream's name; the public host travels in X-Forwarded-Host.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{HubRoutes.Negotiation}/negotiate?negotiateVersion=1");
        request.Headers.Host = "negotiationhub-upstream";
        request.Headers.Add("Origin", "https://alliance.example");
        request.Headers.Add("X-Forwarded-For", "203.0.113.1");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "alliance.example");
        var response = await http.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient http, string userName, string password, string from)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/account/login") { Content = JsonContent.Create(new { userName, password }) };
        request.Headers.Add("X-Forwarded-For", from);
        return http.SendAsync(request);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using NegotiationHub.Data.Audit;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Infrastructure;

/// <summary>
/// Issue 20, item 8: TOTP two-factor sign-in with Identity's authenticator, required by
/// configuration (<c>Auth:RequireTwoFactorFor</c>) for admins and coordinators. Codes are computed
/// here by RFC 6238 itself (HMAC-SHA1, 30 s steps, 6 digits) from the key the server hands out.
/// On the commit before this one there was no /api/account/2fa and a password alone signed anyone in.
/// </summary>
public sealed class TwoFactorTests
{
    private static readonly Dictionary<string, string?> Required = new() { ["Auth:RequireTwoFactorFor"] = "Admin,Coordinator" };

    [Fact]
    public async Task A_required_role_must_enrol_before_anything_else_and_then_signs_in_only_with_a_code()
    {
        await using var server = LiveServer.Start(settings: Required);
        var admin = await server.SignInAsync("admin", LiveServer.AdminPassword);

        // Signed in with the password only: nothing but enrolment, "me" and sign-out.
        await AssertTwoFactorRequiredAsync(await admin.Http.GetAsync("/api/users"));
        await AssertTwoFactorRequiredAsync(await admin.Http.PostAsJsonAsync("/api/users", new { userName = "someone", password = LiveServer.Password, role = "Member" }));
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("/api/account/me")).StatusCode);

        var enrolment = await HttpAssert.OkJsonAsync(await admin.Http.GetAsync("/api/account/2fa"));
        Assert.False(enrolment.GetProperty("enabled").GetBoolean());
        Assert.True(enrolment.GetProperty("required").GetBoolean());
        var key = enrolment.GetProperty("sharedKey").GetString()!;
        Assert.StartsWith("otpauth://totp/NegotiationHub:admin?secret=" + key, enrolment.GetProperty("authenticatorUri").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("/api/account/me")).StatusCode); // the new key did not sign the user out

        await HttpAssert.ValidationProblemAsync(await admin.Http.PostAsJsonAsync("/api/account/2fa", new { code = Wrong(key) }), "code");
        var enabled = await HttpAssert.OkJsonAsync(await admin.Http.PostAsJsonAsync("/api/account/2fa", new { code = Totp(key) }));
        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("/api/users")).StatusCode);

        // From now on a password alone is not enough.
        using var anonymous = server.Anonymous();
        var noCode = await anonymous.PostAsJsonAsync("/api/account/login", new { userName = "admin", password = LiveServer.AdminPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, noCode.StatusCode);
        var problem = JsonDocument.Parse(await noCode.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("two_factor_code_required", problem.GetProperty("code").GetString());
        Assert.False(noCode.Headers.Contains("Set-Cookie"), "no cookie without the code");

        var wrongCode = await anonymous.PostAsJsonAsync("/api/account/login", new { userName = "admin", password = LiveServer.AdminPassword, code = Wrong(key) });
        Assert.Equal(HttpStatusCode.Unauthorized, wrongCode.StatusCode);
        Assert.Equal("Sign-in failed.", JsonDocument.Parse(await wrongCode.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString());

        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = anonymous.BaseAddress };
        var withCode = await browser.PostAsJsonAsync("/api/account/login", new { userName = "admin", password = LiveServer.AdminPassword, code = Totp(key) });
        Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/users")).StatusCode);

        // A required role cannot switch it off.
        var disable = await browser.PostAsJsonAsync("/api/account/2fa/disable", new { code = Totp(key) });
        Assert.Equal(HttpStatusCode.Conflict, disable.StatusCode);

        // The enrolment is in the global chain, which still verifies.
        await Negotiations.CreateUserAsync(new LiveServer.Session(server, browser, cookies, "admin"), "auditor", "Auditor");
        var auditor = await server.SignInAsync("auditor");
        var verification = await HttpAssert.OkJsonAsync(await auditor.Http.GetAsync("/api/audit/verify"));
        Assert.True(verification.GetProperty("valid").GetBoolean(), verification.ToString());
        await using var db = server.Database();
        Assert.Single(db.AuditEntries.Where(e => e.Chain == AuditChain.GlobalChain && e.Type == AuditEvents.TwoFactorEnabled));
    }

    [Fact]
    public async Task A_coordinator_without_a_code_cannot_open_the_hub_or_write_while_members_are_not_asked()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Auth:RequireTwoFactorFor"] = "Coordinator" });
        var coordinator = await Negotiations.CreateUsersAsync(server);

        await AssertTwoFactorRequiredAsync(await coordinator.Http.PostAsJsonAsync("/api/sessions", new { name = "x", template = "3+1", pool = 100 }));
        await AssertTwoFactorRequiredAsync(await coordinator.Http.GetAsync("/api/sessions"));
        await Assert.ThrowsAnyAsync<Exception>(() => coordinator.ConnectAsync());

        var member = await server.SignInAsync("gov");
        Assert.Equal(HttpStatusCode.OK, (await member.Http.GetAsync("/api/sessions")).StatusCode);
        var view = await HttpAssert.OkJsonAsync(await member.Http.GetAsync("/api/account/2fa"));
        Assert.False(view.GetProperty("required").GetBoolean());

        // Enrolled, the same cookie may work.
        var key = (await HttpAssert.OkJsonAsync(await coordinator.Http.GetAsync("/api/account/2fa"))).GetProperty("sharedKey").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await coordinator.Http.PostAsJsonAsync("/api/account/2fa", new { code = Totp(key) })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.Http.GetAsync("/api/sessions")).StatusCode);
        await coordinator.ConnectAsync();
    }

    [Fact]
    public async Task Anyone_may_opt_in_and_out_with_a_code_when_nothing_is_required()
    {
        await using var server = LiveServer.Start();
        await Negotiations.CreateUsersAsync(server);
        var member = await server.SignInAsync("uni");
        var key = (await HttpAssert.OkJsonAsync(await member.Http.GetAsync("/api/account/2fa"))).GetProperty("sharedKey").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await member.Http.PostAsJsonAsync("/api/account/2fa", new { code = Totp(key) })).StatusCode);

        using var anonymous = server.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/account/login", new { userName = "uni", password = LiveServer.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/account/login", new { userName = "uni", password = LiveServer.Password, code = Totp(key) })).StatusCode);

        await HttpAssert.ValidationProblemAsync(await member.Http.PostAsJsonAsync("/api/account/2fa/disable", new { code = Wrong(key) }), "code");
        var off = await HttpAssert.OkJsonAsync(await member.Http.PostAsJsonAsync("/api/account/2fa/disable", new { code = Totp(key) }));
        Assert.False(off.GetProperty("enabled").GetBoolean());
        Assert.NotEqual(key, off.GetProperty("sharedKey").GetString()); // a fresh key for the next enrolment
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/account/login", new { userName = "uni", password = LiveServer.Password })).StatusCode);
    }

    [Fact]
    public void A_role_that_does_not_exist_in_the_setting_stops_the_server()
    {
        var exception = Assert.ThrowsAny<Exception>(() => LiveServer.Start(settings: new Dictionary<string, string?> { ["Auth:RequireTwoFactorFor"] = "Admin,Chairman" }).Anonymous());
        Assert.Contains("Chairman", exception.ToString(), StringComparison.Ordinal);
    }

    private static async Task AssertTwoFactorRequiredAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("two_factor_required", problem.GetProperty("code").GetString());
    }

    /// <summary>RFC 6238 TOTP of a base32 key now: HMAC-SHA1 over the 30-second step, dynamic truncation, 6 digits.</summary>
    private static string Totp(string base32Key, long stepOffset = 0)
    {
        var step = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30) + stepOffset;
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }

        var hash = HMACSHA1.HashData(Base32(base32Key), counter);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A code that is not valid in any step the server accepts (±2 around now).</summary>
    private static string Wrong(string key)
    {
        var valid = Enumerable.Range(-3, 7).Select(i => Totp(key, i)).ToHashSet();
        return Enumerable.Range(0, 1000).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(c => !valid.Contains(c));
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var bytes = new List<byte>();
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            value = (value << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(value >> (bits - 8)));
                bits -= 8;
                value &= (1 << bits) - 1;
            }
        }

        return [.. bytes];
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NegotiationHub.Data.Entities;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Infrastructure;

/// <summary>
/// Uniform sign-in (issue 20, item 6): an unknown user name, a wrong password and a locked account
/// get the same answer, and each costs exactly one password-hash verification — the work whose
/// absence made unknown names answer ten times faster. Checked by counting the hasher's work, not
/// by timing. Fails on the commit before this one (a locked account got 403 "Account locked", and
/// an unknown name was answered without any hash).
/// </summary>
public class UniformSignInTests
{
    [Fact]
    public async Task Unknown_user_wrong_password_and_locked_account_get_the_same_answer_after_the_same_work()
    {
        var hasher = new CountingHasher();
        // Behind a proxy, so that each try comes from another address: one address alone is throttled before lockout.
        await using var server = LiveServer.Start(
            settings: new Dictionary<string, string?> { ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" },
            services: s => s.AddSingleton<IPasswordHasher<AppUser>>(hasher));
        await Negotiations.CreateUsersAsync(server);
        using var http = server.Anonymous();
        var attempt = 0;

        async Task<(HttpStatusCode Status, string Title, string Detail, int Hashes)> AttemptAsync(string userName, string password)
        {
            var before = hasher.Verifications;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/account/login") { Content = JsonContent.Create(new { userName, password }) };
            request.Headers.Add("X-Forwarded-For", $"192.0.2.{++attempt}");
            var response = await http.SendAsync(request);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return (response.StatusCode, body.GetProperty("title").GetString()!, body.GetProperty("detail").GetString()!, hasher.Verifications - before);
        }

        var unknown = await AttemptAsync("nobody-at-all", "some-wrong-password-1");
        var wrong = await AttemptAsync("gov", "some-wrong-password-1");
        for (var i = 0; i < 4; i++)
        {
            await AttemptAsync("gov", "some-wrong-password-1"); // the fifth failure locks the account
        }

        var locked = await AttemptAsync("gov", LiveServer.Password); // the right password, but locked

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.Equal(unknown with { Hashes = 0 }, wrong with { Hashes = 0 });
        Assert.Equal(unknown with { Hashes = 0 }, locked with { Hashes = 0 });
        Assert.Equal(1, unknown.Hashes);
        Assert.Equal(1, wrong.Hashes);
        Assert.Equal(1, locked.Hashes);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/api/account/login", new { userName = "ent", password = LiveServer.Password })).StatusCode);
    }

    private sealed class CountingHasher : IPasswordHasher<AppUser>
    {
        private readonly PasswordHasher<AppUser> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(AppUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}

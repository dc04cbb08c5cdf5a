using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NegotiationHub.Client;
using NegotiationHub.Client.Transport;
using NegotiationHub.Data;
using NegotiationHub.Testing;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// The whole server on real Kestrel (loopback, port 0) over a real database — a SQLite file, or a
/// PostgreSQL database of its own (<see cref="TestDatabase"/>) — with a manual clock. Stop it and
/// start another on the same folder to simulate a restart.
/// </summary>
public sealed class LiveServer : IAsyncDisposable
{
    public const string AdminPassword = "keeper-of-keys-2026";
    public const string Password = "member-password-1";

    private readonly KestrelFactory _factory;
    private readonly List<IAsyncDisposable> _owned = [];

    private LiveServer(TestDatabase database, FakeTimeProvider clock, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services)
    {
        Storage = database;
        Clock = clock;
        _factory = new KestrelFactory(database, clock, settings, services);
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseAddress = _factory.ClientOptions.BaseAddress;
    }

    /// <summary>The server's folder: start another server on it to simulate a restart on the same database.</summary>
    public string Folder => Storage.Folder;

    /// <summary>The database the server runs on (SQLite or PostgreSQL, by <c>NH_TEST_DATABASE</c>).</summary>
    public TestDatabase Storage { get; }

    public FakeTimeProvider Clock { get; }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>
    /// Starts a server on the database of <paramref name="folder"/> (a new one when null);
    /// <paramref name="services"/> adds test services (e.g. a DbContext interceptor) after the app's own.
    /// </summary>
    public static LiveServer Start(string? folder = null, FakeTimeProvider? clock = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        new(folder is null ? TestDatabase.InNewFolder() : TestDatabase.InFolder(folder), clock ?? TestClock.Create(), settings ?? new Dictionary<string, string?>(), services);

    /// <summary>An HTTP client with its own cookie jar, signed in as <paramref name="userName"/>.</summary>
    public async Task<Session> SignInAsync(string userName, string password = Password)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = BaseAddress };
        var response = await http.PostAsJsonAsync("/api/account/login", new { userName, password });
        Assert.True(response.IsSuccessStatusCode, $"sign-in as {userName}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return new Session(this, http, cookies, userName);
    }

    /// <summary>An HTTP client with no login.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress };

    /// <summary>A hub client over a real WebSocket, authenticated with the given cookies.</summary>
    public async Task<HubClient> ConnectAsync(CookieContainer? cookies, string? origin = null)
    {
        var transport = new WebSocketConnectionOptions { Cookies = cookies };
        if (origin is not null)
        {
            transport.Headers["Origin"] = origin;
        }

        var client = new NegotiationHubClient(new NegotiationHubClientOptions { ServerUri = BaseAddress, WebSocket = transport });
        var hub = new HubClient(client);
        _owned.Add(hub);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client.StartAsync(timeout.Token);
        return hub;
    }

    /// <summary>A fresh DbContext on the server's database, to check what was (not) written.</summary>
    public NegotiationDbContext Database() => Storage.CreateContext();

    /// <summary>Stops the server (and every client it opened), keeping the database folder.</summary>
    public async Task StopAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        _owned.Clear();
        await _factory.DisposeAsync();
        Storage.ReleaseConnections();
    }

    /// <summary>Stops the server and deletes its database and folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Storage.Dispose();
    }

    /// <summary>A signed-in user: its HTTP client and cookie jar.</summary>
    public sealed record Session(LiveServer Server, HttpClient Http, CookieContainer Cookies, string UserName)
    {
        public Task<HubClient> ConnectAsync(string? origin = null) => Server.ConnectAsync(Cookies, origin);
    }

    private sealed class KestrelFactory(TestDatabase database, FakeTimeProvider clock, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? extraServices) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in database.ServerSettings)
            {
                builder.UseSetting(key, value);
            }

            builder.UseSetting("Admin:UserName", "admin");
            builder.UseSetting("Admin:Password", AdminPassword);
            builder.UseSetting("RateLimits:Models:SignInPermitLimit", "100000");
            builder.UseSetting("Hub:InvocationsPerSecond", "10000");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                // Hashing cost is not under test; 100,000 PBKDF2 rounds per sign-in dominate the suite's time.
                services.Configure<Microsoft.AspNetCore.Identity.PasswordHasherOptions>(o => o.IterationCount = 1000);
                extraServices?.Invoke(services);
            });
        }
    }
}

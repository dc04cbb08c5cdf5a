using System.Net.Http.Json;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NegotiationHub.Data;
using NegotiationHub.Server.Live;

namespace NegotiationHub.Benchmarks;

/// <summary>
/// The live session's grain (ADR 0012), from the call to the committed write, on a real SQLite
/// file: the whole server is hosted in this process (no HTTP or WebSocket on the measured path,
/// and no connection in the session's group to broadcast to). One invocation is a round: the
/// coordinator opens it and four parties bid; the fourth bid commits with the round's close.
/// The demands (each party the whole pool) never agree, so every round is like the last.
/// Reported per committed write (five per round).
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class LiveSessionBenchmarks
{
    private const string Password = "bench-password-1";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"nh-bench-{Guid.NewGuid():N}");
    private WebApplicationFactory<global::Program> _factory = null!;
    private ILiveSession _session = null!;
    private LiveCaller _chair = null!;
    private LiveCaller[] _members = null!;
    private int _round;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _factory = BenchmarkHost.Create(_folder, new Dictionary<string, string> { ["Admin:UserName"] = "admin", ["Admin:Password"] = Password });
        using var admin = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        await PostAsync(admin, "/api/account/login", new { userName = "admin", password = Password });
        string[] names = ["gov", "ent", "uni", "inn"];
        await PostAsync(admin, "/api/users", new { userName = "chair", password = Password, role = "Coordinator" });
        foreach (var name in names)
        {
            await PostAsync(admin, "/api/users", new { userName = name, password = Password, role = "Member" });
        }

        using var chair = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        await PostAsync(chair, "/api/account/login", new { userName = "chair", password = Password });
        var created = await PostAsync(chair, "/api/sessions", new { name = "Benchmark", template = "3+1", pool = 100, bidMode = "sealed", roundDeadlineSeconds = 3600 });
        var id = created.GetProperty("id").GetGuid();
        for (var i = 0; i < names.Length; i++)
        {
            await PostAsync(chair, $"/api/sessions/{id}/members", new { userName = names[i], partyIndex = i });
        }

        await PostAsync(chair, $"/api/sessions/{id}/open", null);
        await using (var db = await _factory.Services.GetRequiredService<IDbContextFactory<NegotiationDbContext>>().CreateDbContextAsync())
        {
            var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.UserName!, u => u.Id);
            _chair = new LiveCaller(users["chair"], "chair", ["Coordinator"]);
            _members = [.. names.Select(n => new LiveCaller(users[n], n, ["Member"]))];
        }

        _session = _factory.Services.GetRequiredService<IGrainFactory>().GetGrain<ILiveSession>(id);
    }

    [Benchmark(Description = "Live session: a round (open + 4 bids, the last with its close), per committed write", OperationsPerInvoke = 5)]
    public async Task Round()
    {
        var round = ++_round;
        (await _session.OpenRound(_chair, 3600)).Unwrap();
        foreach (var member in _members)
        {
            (await _session.SubmitBid(member, new LiveBid(Guid.NewGuid(), round, 100, null))).Unwrap();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object? body)
    {
        using var response = body is null ? await http.PostAsync(new Uri(path, UriKind.Relative), null) : await http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}

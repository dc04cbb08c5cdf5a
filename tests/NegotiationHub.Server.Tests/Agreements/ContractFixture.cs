using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data.Entities;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Agreements;

/// <summary>
/// One live server per test class with every user signed in once: the coordinator, a second
/// coordinator, the four 3+1 members, an auditor and an outsider. Each test makes its own session.
/// </summary>
public sealed class ContractFixture : IAsyncLifetime
{
    public LiveServer Server { get; private set; } = null!;

    /// <summary>Simulates a writer on another node (see <see cref="OtherNodeWriter"/>).</summary>
    public OtherNodeWriter OtherNode { get; } = new();

    public LiveServer.Session Coordinator { get; private set; } = null!;

    public LiveServer.Session SecondCoordinator { get; private set; } = null!;

    public LiveServer.Session Auditor { get; private set; } = null!;

    public LiveServer.Session Outsider { get; private set; } = null!;

    public IReadOnlyList<LiveServer.Session> Members { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Server = LiveServer.Start(services: s => s.ConfigureDbContext<NegotiationDbContext>(o => o.AddInterceptors(OtherNode)));
        Coordinator = await Negotiations.CreateUsersAsync(Server);
        var admin = await Server.SignInAsync("admin", LiveServer.AdminPassword);
        await Negotiations.CreateUserAsync(admin, "coordinator2", "Coordinator");
        SecondCoordinator = await Server.SignInAsync("coordinator2");
        Auditor = await Server.SignInAsync("auditor");
        Outsider = await Server.SignInAsync("outsider");
        var members = new List<LiveServer.Session>();
        foreach (var name in Negotiations.MemberNames)
        {
            members.Add(await Server.SignInAsync(name));
        }

        Members = members;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A 3+1 session (K = 100, equal strengths, linear) whose first round agreed on 25 each: the contract's revision 0 is (¼, ¼, ¼, ¼).</summary>
    public async Task<Guid> CreateAgreedSessionAsync(double tangiblePool = 0, double revisionLambda = 0.5, bool secondCoordinator = false)
    {
        var id = await Negotiations.CreateSessionAsync(Coordinator, tangiblePool: tangiblePool, revisionLambda: revisionLambda);
        if (secondCoordinator)
        {
            var added = await Coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/members", new { userName = "coordinator2", role = "coordinator" });
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        }

        var chair = await Coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(id);
        var opened = await chair.Client.OpenRoundAsync(id, 60);

        // ΣD = K: compatible at once, each party gets its demand (MODEL §4).
        foreach (var member in Members)
        {
            var hub = await member.ConnectAsync();
            await hub.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = opened.Round, Demand = 25 });
        }

        await chair.WaitForAsync<AgreementReached>();
        return id;
    }

    private Guid? _shared;

    /// <summary>
    /// One agreed session (N = 1200) with period-1 strengths (party 0 at 4), shared by a class's
    /// bad-input rows — none of which may change it.
    /// </summary>
    public async Task<Guid> SharedSessionAsync()
    {
        if (_shared is null)
        {
            var id = await CreateAgreedSessionAsync(tangiblePool: 1200);
            await RecordStrengthsAsync(id, 1, 4);
            _shared = id;
        }

        return _shared.Value;
    }

    /// <summary>Records strengths for a new period: party 0 has <paramref name="strongest"/> on every factor, the others 1.</summary>
    public async Task RecordStrengthsAsync(Guid id, int period, double strongest)
    {
        var response = await Coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/strengths", new { period, strengths = Strengths(strongest) });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static double[][] Strengths(double strongest) =>
        [[.. Enumerable.Repeat(strongest, 5)], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]];

    /// <summary>
    /// MODEL §1 by hand for these strengths (equal factor weights, so one factor suffices):
    /// l_0 = a / 1, l_j = 1 / ((a + 1 + 1)/3); h = H / ΣH. Linear utilities, d = 0 ⇒ s* = h (§3).
    /// </summary>
    public static double[] Optimum(double strongest)
    {
        var raw = new[] { strongest, 3 / (strongest + 2), 3 / (strongest + 2), 3 / (strongest + 2) };
        return [.. raw.Select(h => h / raw.Sum())];
    }

    /// <summary>What a refused request must leave untouched.</summary>
    public async Task<WrittenState> StateAsync(Guid id)
    {
        await using var db = Server.Database();
        var contract = await db.Contracts.AsNoTracking().FirstOrDefaultAsync(c => c.SessionId == id);
        var revisions = contract is null ? 0 : await db.ContractRevisions.CountAsync(r => r.ContractId == contract.Id);
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id);
        var audit = await db.AuditEntries.CountAsync(e => e.Chain == AuditChain.ForSession(id));
        return new WrittenState(revisions, contract?.CurrentRevision, contract?.Version, contract?.SharesJson, contract?.TangibleSharesJson, session.Sequence, session.Version, audit);
    }
}

/// <summary>Everything a contract write touches.</summary>
public sealed record WrittenState(int Revisions, int? CurrentRevision, long? ContractVersion, string? Shares, string? TangibleShares, long Sequence, long SessionVersion, int AuditEntries);

/// <summary>
/// Runs a write of "another node" right before this server saves a contract change — after it has
/// read the contract and passed every check, before its transaction — so the server's optimistic
/// concurrency tokens, not its in-process lock, must catch the race.
/// </summary>
public sealed class OtherNodeWriter : SaveChangesInterceptor
{
    private Func<Task>? _write;

    public void BeforeNextContractSave(Func<Task> write) => _write = write;

    // SQLite saves synchronously on its writer thread (SqliteWriteGate), where the other write runs inline.
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (Due(eventData) is { } write)
        {
            write().GetAwaiter().GetResult();
        }

        return base.SavingChanges(eventData, result);
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Due(eventData) is { } write)
        {
            await write();
        }

        return await base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    private Func<Task>? Due(DbContextEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        return eventData.Context?.ChangeTracker.Entries<Contract>().Any(e => e.State == EntityState.Modified) == true
            ? Interlocked.Exchange(ref _write, null)
            : null;
    }
}

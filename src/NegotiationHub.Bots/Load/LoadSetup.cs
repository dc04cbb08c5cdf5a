using System.Globalization;
using NegotiationHub.Bots.Bidding;

namespace NegotiationHub.Bots.Load;

/// <summary>
/// The load's accounts and sessions, made through the public REST API as an administrator and a
/// coordinator would (the way the server tests set them up). One member account per party index
/// is a member of that party in every session: N×parties connections need only parties sign-ins,
/// which keeps the set-up inside the sign-in rate limit and the password hashing off the clock.
/// </summary>
public sealed class LoadSetup : IDisposable
{
    private readonly List<HubAccount> _members;

    private LoadSetup(HubAccount admin, HubAccount coordinator, List<HubAccount> members)
    {
        _admin = admin;
        Coordinator = coordinator;
        _members = members;
    }

    private readonly HubAccount _admin;

    /// <summary>The coordinator of every load session.</summary>
    public HubAccount Coordinator { get; }

    /// <summary>Party i's member, signed in.</summary>
    public IReadOnlyList<HubAccount> Members => _members;

    /// <summary>Creates a coordinator and one member per party (named after a fresh run tag) and signs them in.</summary>
    /// <exception cref="HubAccountException">The administrator's sign-in or a user creation was refused.</exception>
    public static async Task<LoadSetup> CreateAccountsAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var password = $"load-{tag}-pass1";
        var admin = await HubAccount.SignInAsync(options.Server, options.AdminUser, options.AdminPassword, cancellationToken).ConfigureAwait(false);
        var chairName = $"load-{tag}-chair";
        await admin.PostAsync("/api/users", new { userName = chairName, password, role = "Coordinator" }, cancellationToken).ConfigureAwait(false);
        var memberNames = Enumerable.Range(0, options.Parties).Select(i => string.Create(CultureInfo.InvariantCulture, $"load-{tag}-p{i}")).ToList();
        foreach (var name in memberNames)
        {
            await admin.PostAsync("/api/users", new { userName = name, password, role = "Member" }, cancellationToken).ConfigureAwait(false);
        }

        var coordinator = await HubAccount.SignInAsync(options.Server, chairName, password, cancellationToken).ConfigureAwait(false);
        var members = new List<HubAccount>();
        try
        {
            foreach (var name in memberNames)
            {
                members.Add(await HubAccount.SignInAsync(options.Server, name, password, cancellationToken).ConfigureAwait(false));
            }
        }
        catch
        {
            admin.Dispose();
            coordinator.Dispose();
            members.ForEach(m => m.Dispose());
            throw;
        }

        return new LoadSetup(admin, coordinator, members);
    }

    /// <summary>
    /// Creates N sessions (K = 100, equal strengths, linear utilities, d = 0, sealed bids), adds
    /// the members and opens them; a few requests at a time.
    /// </summary>
    /// <exception cref="HubAccountException">The server refused a request.</exception>
    public async Task<IReadOnlyList<Guid>> CreateSessionsAsync(int count, CancellationToken cancellationToken)
    {
        var ids = new Guid[count];
        var parties = _members.Count;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (k, ct) =>
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"Load session {k + 1}");
            object request = parties == 4
                ? new { name, template = "3+1", pool = 100, bidMode = "sealed", roundDeadlineSeconds = 60 }
                : new
                {
                    name, pool = 100, bidMode = "sealed", roundDeadlineSeconds = 60,
                    parties = Enumerable.Range(0, parties).Select(i => new { name = string.Create(CultureInfo.InvariantCulture, $"Party {i + 1}") }).ToArray(),
                    factors = new[] { new { name = "Capability" } },
                };
            var created = await Coordinator.PostAsync("/api/sessions", request, ct).ConfigureAwait(false);
            var id = created.GetProperty("id").GetGuid();
            for (var i = 0; i < parties; i++)
            {
                await Coordinator.PostAsync($"/api/sessions/{id}/members", new { userName = _members[i].UserName, partyIndex = i }, ct).ConfigureAwait(false);
            }

            await Coordinator.PostAsync($"/api/sessions/{id}/open", null, ct).ConfigureAwait(false);
            ids[k] = id;
        }).ConfigureAwait(false);
        return ids;
    }

    /// <summary>A session's stored bids (<c>GET /api/sessions/{id}/history</c>), as the coordinator reads them.</summary>
    public async Task<IReadOnlyList<StoredBid>> StoredBidsAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        var history = await Coordinator.GetAsync($"/api/sessions/{sessionId}/history", cancellationToken).ConfigureAwait(false);
        return [.. history.GetProperty("rounds").EnumerateArray()
            .SelectMany(r => r.GetProperty("bids").EnumerateArray())
            .Select(b => new StoredBid(
                b.GetProperty("bidId").GetGuid(),
                b.GetProperty("round").GetInt32(),
                b.GetProperty("partyIndex").GetInt32(),
                b.GetProperty("demand").GetDouble(),
                b.GetProperty("autoConceded").GetBoolean()))];
    }

    /// <summary>
    /// Waits until the server's JIT has compiled no method for <paramref name="quiet"/> (<see cref="JitQuiet"/>),
    /// polling its counters every quarter second, for at most <paramref name="limit"/>. Returns the
    /// methods compiled meanwhile and whether it went quiet; null when the server does not tell.
    /// </summary>
    public async Task<(long Compiled, TimeSpan Waited, bool Quiet)?> WaitForJitQuietAsync(TimeSpan quiet, TimeSpan limit, CancellationToken cancellationToken)
    {
        var watch = new JitQuiet(quiet);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await ServerRuntimeAsync(cancellationToken).ConfigureAwait(false) is not { } runtime)
            {
                return null;
            }

            var quietNow = watch.Observe(clock.Elapsed, runtime.JitCompiledMethods);
            if (quietNow || clock.Elapsed >= limit)
            {
                return (watch.Compiled, clock.Elapsed, quietNow);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The server's allocated bytes, GC pause time and JIT counters since it started (admins only), or null if it cannot tell.</summary>
    public async Task<ServerRuntime?> ServerRuntimeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var counters = await _admin.GetAsync("/api/diagnostics/runtime", cancellationToken).ConfigureAwait(false);
            return new ServerRuntime(
                counters.GetProperty("allocatedBytes").GetInt64(), counters.GetProperty("gcPauseMilliseconds").GetDouble(),
                counters.GetProperty("jitCompiledMethods").GetInt64(), counters.GetProperty("jitMilliseconds").GetDouble(),
                counters.GetProperty("gen0Collections").GetInt32(), counters.GetProperty("gen1Collections").GetInt32(), counters.GetProperty("gen2Collections").GetInt32());
        }
        catch (HubAccountException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _admin.Dispose();
        Coordinator.Dispose();
        _members.ForEach(m => m.Dispose());
    }
}

/// <summary>The server's managed-runtime counters at one moment (<c>GET /api/diagnostics/runtime</c>).</summary>
/// <param name="AllocatedBytes">Bytes allocated since the server started.</param>
/// <param name="GcPauseMilliseconds">How long the server has stood still in garbage collections since it started, ms.</param>
/// <param name="JitCompiledMethods">Methods its JIT has compiled since it started.</param>
/// <param name="JitMilliseconds">Time its JIT has spent compiling since it started, ms.</param>
/// <param name="Gen0Collections">Garbage collections of generation 0 (or higher) since it started.</param>
/// <param name="Gen1Collections">Of generation 1 (or 2).</param>
/// <param name="Gen2Collections">Of generation 2.</param>
public sealed record ServerRuntime(long AllocatedBytes, double GcPauseMilliseconds, long JitCompiledMethods, double JitMilliseconds, int Gen0Collections = 0, int Gen1Collections = 0, int Gen2Collections = 0);

/// <summary>A bid as the server stored it.</summary>
/// <param name="BidId">Its id (the client's, or the server's for an auto-concession).</param>
/// <param name="Round">The round.</param>
/// <param name="PartyIndex">The party.</param>
/// <param name="Demand">D_i as stored.</param>
/// <param name="AutoConceded">True when the server made it for a late party.</param>
public sealed record StoredBid(Guid BidId, int Round, int PartyIndex, double Demand, bool AutoConceded);

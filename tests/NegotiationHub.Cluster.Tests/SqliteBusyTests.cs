using Microsoft.AspNetCore.SignalR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using NegotiationHub.Client;
using NegotiationHub.Cluster.Tests.Harness;
using NegotiationHub.Contracts;
using NegotiationHub.Data;

namespace NegotiationHub.Cluster.Tests;

/// <summary>
/// SQLite has one writer at a time. Another connection holding the write lock (BEGIN IMMEDIATE
/// on the same file, as a backup tool or a second process would) makes the server's writes wait
/// for the busy timeout (1 s here) and then fail: such a bid must be refused with a clear error
/// and leave nothing behind, and every bid that was acknowledged must be in the file.
/// </summary>
public sealed class SqliteBusyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string BusyMessage = "The database is busy; nothing was written.";
    private string _work = null!;
    private string _databasePath = null!;
    private ServerProcess _server = null!;
    private AllianceAccounts _accounts = null!;
    private readonly List<NegotiationHubClient> _clients = [];

    public async Task InitializeAsync()
    {
        _work = Loopback.NewFolder("nh-busy");
        _databasePath = Path.Combine(_work, "negotiation.db");
        var settings = ServerProcess.BaseSettings(Path.Combine(_work, "keys"));
        settings["Database__SqlitePath"] = _databasePath;
        settings["Database__SqliteBusyTimeoutSeconds"] = "1";
        _server = await ServerProcess.StartAsync("solo", Loopback.FreePort(), settings, _work);
        _accounts = await Alliance.CreateAccountsAsync(_server.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        await _server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Loopback.DeleteFolder(_work);
    }

    [Fact]
    public async Task A_bid_that_cannot_get_the_write_lock_is_refused_clearly_not_written_and_can_be_resent()
    {
        var (id, members) = await OpenRoundAsync("Locked out");
        var bid = new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 30 };

        HubException refused;
        await using (var blocker = await HoldWriteLockAsync())
        {
            refused = await Assert.ThrowsAsync<HubException>(() => members[0].SubmitBidAsync(id, bid));
        }

        Assert.Contains(BusyMessage, refused.Message, StringComparison.Ordinal);
        Assert.Null(await StoredBidAsync(bid.BidId));

        var ack = await members[0].SubmitBidAsync(id, bid);
        Assert.False(ack.Duplicate);
        Assert.Equal((id, 1, 0), ((await StoredBidAsync(bid.BidId))!.SessionId, ack.Round, ack.PartyIndex));
    }

    [Fact]
    public async Task Parallel_bids_racing_a_held_write_lock_are_acknowledged_exactly_when_committed()
    {
        var sessions = new List<(Guid Id, NegotiationHubClient[] Members)>();
        for (var i = 0; i < 4; i++)
        {
            sessions.Add(await OpenRoundAsync($"Contended {i + 1}"));
        }

        var bids = sessions.SelectMany(s => s.Members.Select((m, party) => (s.Id, Member: m, Bid: new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 30 }))).ToList();

        // The lock is taken before the bids and let go while they wait: some outlast the busy
        // timeout, some get the lock and commit (and the last bid of a session also closes its round).
        var blocker = await HoldWriteLockAsync();
        var outcomes = bids.Select(async b =>
        {
            try
            {
                return (b.Bid, Ack: await b.Member.SubmitBidAsync(b.Id, b.Bid), Error: (string?)null);
            }
            catch (HubException exception)
            {
                return (b.Bid, Ack: (BidAck?)null, Error: exception.Message);
            }
        }).ToList();
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        await blocker.DisposeAsync();
        var results = await Task.WhenAll(outcomes);
        output.WriteLine($"{results.Count(r => r.Ack is not null)} of {results.Length} bids committed and acknowledged, {results.Count(r => r.Ack is null)} refused as busy");

        foreach (var (bid, ack, error) in results)
        {
            var stored = await StoredBidAsync(bid.BidId);
            if (ack is not null)
            {
                Assert.NotNull(stored);
            }
            else
            {
                Assert.Contains(BusyMessage, error, StringComparison.Ordinal);
                Assert.Null(stored);
            }
        }

        // Resending the refused ones (same bidId) completes every round; nothing is there twice.
        foreach (var (bid, ack, _) in results.Where(r => r.Ack is null))
        {
            var owner = bids.Single(b => b.Bid.BidId == bid.BidId);
            Assert.False((await owner.Member.SubmitBidAsync(owner.Id, bid)).Duplicate);
        }

        await using var db = Store.Open(DatabaseProvider.Sqlite, DatabaseSetup.SqliteConnectionString(_databasePath));
        var ids = sessions.Select(s => s.Id).ToList();
        Assert.Equal(16, await db.Bids.CountAsync(b => ids.Contains(b.SessionId)));
        using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await db.Rounds.CountAsync(r => ids.Contains(r.SessionId) && r.State == RoundState.Closed, closing.Token) < 4)
        {
            await Task.Delay(100, closing.Token);
        }
    }

    private async Task<(Guid Id, NegotiationHubClient[] Members)> OpenRoundAsync(string name)
    {
        var id = (await Alliance.CreateSessionAsync(_server.BaseAddress, _accounts, name)).Id;
        var coordinator = await Hubs.JoinAsync(_server.BaseAddress, id, _accounts.Coordinator);
        _clients.Add(coordinator);
        var members = new NegotiationHubClient[4];
        for (var i = 0; i < 4; i++)
        {
            members[i] = await Hubs.JoinAsync(_server.BaseAddress, id, _accounts.Members[i]);
            _clients.Add(members[i]);
        }

        await coordinator.OpenRoundAsync(id, 3600);
        return (id, members);
    }

    /// <summary>Another connection on the file holding SQLite's write lock until disposed (then rolled back).</summary>
    private async Task<SqliteConnection> HoldWriteLockAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _databasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();
        return connection;
    }

    private async Task<Data.Entities.Bid?> StoredBidAsync(Guid bidId)
    {
        await using var db = Store.Open(DatabaseProvider.Sqlite, DatabaseSetup.SqliteConnectionString(_databasePath));
        return await db.Bids.AsNoTracking().SingleOrDefaultAsync(b => b.Id == bidId);
    }
}

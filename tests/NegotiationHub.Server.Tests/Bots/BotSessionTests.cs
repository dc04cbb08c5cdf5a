using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Bots.Bidding;
using NegotiationHub.Bots.Strategies;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Bots;

/// <summary>Four bots, one per party, and the coordinator's conductor run 3+1 sessions against a real server.</summary>
public sealed class BotSessionTests : IAsyncLifetime
{
    private LiveServer _server = null!;
    private LiveServer.Session _coordinator = null!;

    public async Task InitializeAsync()
    {
        _server = LiveServer.Start();
        _coordinator = await Negotiations.CreateUsersAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Four_bots_run_a_3_plus_1_session_to_agreement()
    {
        var id = await Negotiations.CreateSessionAsync(_coordinator);
        var result = await RunAsync(id, "toward-nbs", "boulware", "conceder", "toward-nbs");

        var agreement = Assert.IsType<NegotiationHub.Contracts.AgreementView>(result.Session.Agreement);
        Assert.Equal(100, agreement.Allocation.Sum(), 9);
        Assert.All(result.Bots, b => Assert.Equal(BotEnding.Agreed, b.Ending));
        Assert.All(result.Bots, b => Assert.Equal(agreement.ContractId, b.Agreement!.ContractId));
        Assert.Equal([0, 1, 2, 3], result.Bots.Select(b => b.PartyIndex));
        // Boulware and conceder reach d_i = 0 by their deadline round (10): agreement by then at the latest.
        Assert.InRange(agreement.Round, 2, 10);

        await using var db = _server.Database();
        Assert.Equal("Agreed", (await db.Sessions.SingleAsync(s => s.Id == id)).State.ToString());
        var bids = await db.Bids.Where(b => b.SessionId == id).ToListAsync();
        Assert.Equal(agreement.Round * 4, bids.Count);
        Assert.DoesNotContain(bids, b => b.AutoConceded);
    }

    [Fact]
    public async Task A_hard_liner_gets_its_demand_when_the_others_disagreement_points_leave_room_for_it()
    {
        // d = 0 for everyone: conceders reach 0 by their deadline, so even a demand of the whole pool fits (g = 0).
        var id = await Negotiations.CreateSessionAsync(_coordinator);
        var result = await RunAsync(id, "hardliner", "conceder", "conceder", "conceder");

        var agreement = Assert.IsType<NegotiationHub.Contracts.AgreementView>(result.Session.Agreement);
        Assert.Equal(100, agreement.Allocation[0], 9);
        Assert.Equal(10, agreement.Round);
    }

    [Fact]
    public async Task A_hard_liner_demanding_the_pool_stops_the_bots_at_the_rounds_limit_and_leaves_the_session_open()
    {
        var id = await CreateSessionWithDisagreementPointsAsync(5);
        var result = await RunAsync(id, maxRounds: 6, "hardliner", "conceder", "boulware", "toward-nbs");

        Assert.Null(result.Session.Agreement);
        Assert.Equal(6, result.Session.Rounds);
        Assert.All(result.Bots, b => Assert.Equal(BotEnding.RoundsLimit, b.Ending));
        await using var db = _server.Database();
        Assert.Equal("Open", (await db.Sessions.SingleAsync(s => s.Id == id)).State.ToString());
        Assert.Equal(6 * 4, await db.Bids.CountAsync(b => b.SessionId == id && !b.AutoConceded));
    }

    [Fact]
    public async Task A_waiting_bot_notices_that_the_coordinator_closed_the_session()
    {
        var id = await Negotiations.CreateSessionAsync(_coordinator);
        var gov = await _server.SignInAsync("gov");
        var hub = await gov.ConnectAsync();
        var bot = new PartyBot(hub.Client, id, new TowardNashConcession(), new PartyBotOptions { IdleResync = TimeSpan.FromMilliseconds(200) });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var running = bot.RunAsync(timeout.Token);
        await bot.Joined;

        var closed = await _coordinator.Http.PostAsync($"/api/sessions/{id}/close", null);
        Assert.True(closed.IsSuccessStatusCode, await closed.Content.ReadAsStringAsync());

        var outcome = await running;
        Assert.Equal(BotEnding.SessionEnded, outcome.Ending);
        Assert.Equal(0, outcome.PartyIndex);
    }

    private Task<SessionRunResult> RunAsync(Guid id, params string[] strategies) => RunAsync(id, 30, strategies);

    private async Task<SessionRunResult> RunAsync(Guid id, int maxRounds, params string[] strategies)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await SessionRun.RunAsync(new SessionRunSettings
        {
            Server = _server.BaseAddress,
            Coordinator = "coordinator",
            Members = Negotiations.MemberNames,
            Password = LiveServer.Password,
            SessionId = id,
            Strategies = [.. strategies.Select(s => ConcessionStrategies.Create(s, new StrategySettings { Deadline = 10 }))],
            MaxRounds = maxRounds,
        }, timeout.Token);
    }

    /// <summary>A 3+1 session like <see cref="Negotiations.CreateSessionAsync"/>'s but with d_i = <paramref name="disagreement"/> for every party.</summary>
    private async Task<Guid> CreateSessionWithDisagreementPointsAsync(double disagreement)
    {
        var parties = Enumerable.Range(0, 4).Select(i => new { name = $"Party {i}", disagreement }).ToArray();
        var response = await _coordinator.Http.PostAsJsonAsync("/api/sessions", new { name = "Hard line", template = "3+1", pool = 100, parties, roundDeadlineSeconds = 60 });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        for (var i = 0; i < 4; i++)
        {
            var added = await _coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/members", new { userName = Negotiations.MemberNames[i], partyIndex = i });
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        }

        var opened = await _coordinator.Http.PostAsync($"/api/sessions/{id}/open", null);
        Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());
        return id;
    }
}

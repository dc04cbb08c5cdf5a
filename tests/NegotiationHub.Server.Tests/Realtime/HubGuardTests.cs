using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>The hub's authorization and input matrices: each refusal is a clear error and writes nothing.</summary>
public sealed class HubGuardTests : IAsyncLifetime
{
    private LiveServer _server = null!;
    private LiveServer.Session _coordinator = null!;
    private Guid _session;

    public async Task InitializeAsync()
    {
        _server = LiveServer.Start();
        _coordinator = await Negotiations.CreateUsersAsync(_server);
        _session = await Negotiations.CreateSessionAsync(_coordinator);
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.OpenRoundAsync(_session, 60);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_anonymous_connection_is_refused_at_the_handshake()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => RawHubConnection.ConnectAsync(_server.BaseAddress, cookies: null));
        await Assert.ThrowsAnyAsync<Exception>(() => _server.ConnectAsync(cookies: null));
    }

    [Fact]
    public async Task A_foreign_origin_is_refused_at_the_handshake_and_the_own_origin_accepted()
    {
        var gov = await _server.SignInAsync("gov");

        await Assert.ThrowsAnyAsync<WebSocketException>(() => RawHubConnection.ConnectAsync(_server.BaseAddress, gov.Cookies, origin: "http://evil.example"));
        var own = $"{_server.BaseAddress.Scheme}://{_server.BaseAddress.Authority}";
        await using var allowed = await RawHubConnection.ConnectAsync(_server.BaseAddress, gov.Cookies, origin: own);
        Assert.Equal(WebSocketState.Open, allowed.State);
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        // who, hub method + arguments (SESSION is replaced), expected words in the error
        { "gov", "OpenRound|[\"SESSION\", 60]", "coordinators" },
        { "gov", "CloseRound|[\"SESSION\"]", "coordinators" },
        { "auditor", "SubmitBid|[\"SESSION\", {\"bidId\":\"BID\",\"round\":1,\"demand\":30}]", "Only members" },
        { "coordinator", "SubmitBid|[\"SESSION\", {\"bidId\":\"BID\",\"round\":1,\"demand\":30}]", "Only members" },
        { "outsider", "SubmitBid|[\"SESSION\", {\"bidId\":\"BID\",\"round\":1,\"demand\":30}]", "not found" },
        { "outsider", "JoinSession|[\"SESSION\"]", "not found" },
        { "gov", "SubmitBid|[\"UNKNOWN\", {\"bidId\":\"BID\",\"round\":1,\"demand\":30}]", "not found" },
        { "gov", "SubmitBid|[\"SESSION\", {\"bidId\":\"BID\",\"round\":2,\"demand\":30}]", "round" },
        { "gov", "SubmitBid|[\"SESSION\", {\"bidId\":\"BID\",\"round\":1,\"demand\":\"NaN\"}]", "demand" },
        { "gov", "SubmitBid|[\"SESSION\", {\"bidId\":\"BID\",\"round\":1,\"demand\":\"Infinity\"}]", "demand" },
        { "gov", "SubmitBid|[\"SESSION\", {\"bidId\":\"BID\",\"round\":1,\"demand\":-5}]", "demand" },
        { "gov", "SubmitBid|[\"SESSION\", {\"bidId\":\"BID\",\"round\":1,\"demand\":100.5}]", "demand" },
        { "gov", "SubmitBid|[\"SESSION\", {\"bidId\":\"00000000-0000-0000-0000-000000000000\",\"round\":1,\"demand\":30}]", "bidId" },
        { "gov", "SubmitBid|[\"SESSION\", {\"bidId\":\"BID\",\"round\":1,\"demand\":30,\"proposal\":[50,50,50,50]}]", "proposal" },
        { "gov", "SubmitBid|[\"SESSION\", {\"bidId\":\"BID\",\"round\":1,\"demand\":30,\"proposal\":[25,25]}]", "proposal" },
        { "coordinator", "OpenRound|[\"SESSION\", 60]", "still open" },
        { "coordinator", "CloseRound|[\"UNKNOWN\"]", "not found" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refused_calls_say_why_and_write_nothing(string who, string call, string expected)
    {
        var user = await _server.SignInAsync(who, who == "coordinator" ? LiveServer.Password : LiveServer.Password);
        await using var raw = await RawHubConnection.ConnectAsync(_server.BaseAddress, user.Cookies);
        var before = await StateAsync();

        var parts = call.Split('|', 2);
        var arguments = parts[1].Replace("SESSION", _session.ToString(), StringComparison.Ordinal)
            .Replace("UNKNOWN", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("BID", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        var (error, _) = await raw.InvokeAsync(parts[0], arguments);

        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.OrdinalIgnoreCase);
        // SignalR prefixes "HubException: "; nothing internal (other exception types, stack frames) leaks.
        Assert.DoesNotContain("ValidationException", error, StringComparison.Ordinal);
        Assert.DoesNotContain("SessionException", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task A_bid_for_a_closed_round_is_refused_and_writes_nothing()
    {
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.CloseRoundAsync(_session);
        var gov = await _server.SignInAsync("gov");
        var hub = await gov.ConnectAsync();
        var before = await StateAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => hub.Client.SubmitBidAsync(_session, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 30 }));

        Assert.Contains("No round is open", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task An_oversized_message_closes_the_connection_and_writes_nothing()
    {
        var gov = await _server.SignInAsync("gov");
        await using var raw = await RawHubConnection.ConnectAsync(_server.BaseAddress, gov.Cookies);
        var before = await StateAsync();
        var proposal = string.Join(',', Enumerable.Repeat("1.000000000001", 5000));

        await Assert.ThrowsAnyAsync<Exception>(() => raw.InvokeAsync("SubmitBid",
            $"[\"{_session}\", {{\"bidId\":\"{Guid.NewGuid()}\",\"round\":1,\"demand\":30,\"proposal\":[{proposal}]}}]"));

        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task A_member_always_bids_for_its_own_party()
    {
        var ent = await _server.SignInAsync("ent");
        var hub = await ent.ConnectAsync();

        var ack = await hub.Client.SubmitBidAsync(_session, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 30 });

        Assert.Equal(1, ack.PartyIndex);
        await using var db = _server.Database();
        Assert.Equal(1, (await db.Bids.SingleAsync(b => b.Id == ack.BidId)).PartyIndex);
    }

    [Fact]
    public async Task A_calls_flood_is_throttled_per_connection()
    {
        await using var throttled = LiveServer.Start(settings: new Dictionary<string, string?> { ["Hub:InvocationsPerSecond"] = "2" });
        var coordinator = await Negotiations.CreateUsersAsync(throttled);
        var id = await Negotiations.CreateSessionAsync(coordinator);
        var gov = await throttled.SignInAsync("gov");
        await using var raw = await RawHubConnection.ConnectAsync(throttled.BaseAddress, gov.Cookies);

        var errors = new List<string?>();
        for (var i = 0; i < 8; i++)
        {
            errors.Add((await raw.InvokeAsync("JoinSession", $"[\"{id}\"]")).Error);
        }

        Assert.Contains(errors, e => e is not null && e.Contains("Too many calls", StringComparison.Ordinal));
        Assert.Null(errors[0]);
    }

    private async Task<(int Bids, int Rounds, long Sequence)> StateAsync()
    {
        await using var db = _server.Database();
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == _session);
        return (await db.Bids.CountAsync(), await db.Rounds.CountAsync(), session.Sequence);
    }
}

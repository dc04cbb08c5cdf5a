using Microsoft.EntityFrameworkCore;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// The four places where a client nobody here wrote (the official <c>@microsoft/signalr</c> from
/// npm) found the hub breaking its published contract (<c>src/NegotiationHub.Contracts</c>),
/// each pinned through a real client over a real WebSocket (issue 15, item 4).
/// </summary>
public sealed class ContractConformanceTests : IAsyncLifetime
{
    private LiveServer _server = null!;
    private LiveServer.Session _coordinator = null!;
    private Guid _session;

    public async Task InitializeAsync()
    {
        _server = LiveServer.Start();
        _coordinator = await Negotiations.CreateUsersAsync(_server);
        _session = await Negotiations.CreateSessionAsync(_coordinator);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Joining_between_two_rounds_shows_the_latest_round_closed()
    {
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(_session);
        var opened = await chair.Client.OpenRoundAsync(_session, 60);
        var gov = await (await _server.SignInAsync("gov")).ConnectAsync();
        await gov.Client.SubmitBidAsync(_session, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 40 });
        var closed = await chair.Client.CloseRoundAsync(_session);

        // SessionSnapshot.CurrentRound: "the latest round (open or closed), or null before the first round is opened".
        var snapshot = await gov.Client.JoinSessionAsync(_session);

        Assert.NotNull(snapshot.CurrentRound);
        Assert.Equal(1, snapshot.CurrentRound.Round);
        Assert.Equal(RoundState.Closed, snapshot.CurrentRound.State);
        Assert.Equal(opened.OpenedUtc, snapshot.CurrentRound.OpenedUtc);
        Assert.Equal(opened.DeadlineUtc, snapshot.CurrentRound.DeadlineUtc);
        // Every party's demand is known once the round is closed (the late ones auto-conceded), so sealed bids are no longer hidden.
        Assert.Equal([0, 1, 2, 3], snapshot.CurrentRound.Bids.Select(b => b.PartyIndex));
        Assert.Equal(closed.Analysis.Parties.Select(p => (double?)p.Demand), snapshot.CurrentRound.Bids.Select(b => b.Demand));
        Assert.Equal(40, snapshot.CurrentRound.Bids[0].Demand);
    }

    [Fact]
    public async Task Joining_before_the_first_round_shows_no_round()
    {
        var gov = await (await _server.SignInAsync("gov")).ConnectAsync();

        var snapshot = await gov.Client.JoinSessionAsync(_session);

        Assert.Null(snapshot.CurrentRound);
    }

    [Fact]
    public async Task A_resent_bid_is_acknowledged_with_its_original_sequence()
    {
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.OpenRoundAsync(_session, 60);
        var gov = await (await _server.SignInAsync("gov")).ConnectAsync();
        var ent = await (await _server.SignInAsync("ent")).ConnectAsync();
        var bid = new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 40 };
        var first = await gov.Client.SubmitBidAsync(_session, bid);
        // The session moves on after the bid: another party's bid takes the next sequence number.
        var other = await ent.Client.SubmitBidAsync(_session, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 30 });
        Assert.True(other.Sequence > first.Sequence);

        var again = await gov.Client.SubmitBidAsync(_session, bid);

        Assert.True(again.Duplicate);
        Assert.Equal(first.Sequence, again.Sequence);
        Assert.Equal(first with { Duplicate = true }, again);
    }

    [Fact]
    public async Task A_bid_resent_after_its_round_closed_is_acknowledged_with_its_original_sequence()
    {
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.OpenRoundAsync(_session, 60);
        var gov = await (await _server.SignInAsync("gov")).ConnectAsync();
        var bid = new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 40 };
        var first = await gov.Client.SubmitBidAsync(_session, bid);
        await chair.Client.CloseRoundAsync(_session);
        await chair.Client.OpenRoundAsync(_session, 60);

        var again = await gov.Client.SubmitBidAsync(_session, bid);

        Assert.Equal(first with { Duplicate = true }, again);
    }

    [Theory]
    [InlineData("[25,25,25,25]")] // sums to 100, K = 100: fine
    public async Task A_proposal_that_sums_to_the_pool_is_accepted(string proposal)
    {
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.OpenRoundAsync(_session, 60);
        var gov = await _server.SignInAsync("gov");
        await using var raw = await RawHubConnection.ConnectAsync(_server.BaseAddress, gov.Cookies);

        var (error, result) = await raw.InvokeAsync("SubmitBid", $"[\"{_session}\", {{\"bidId\":\"{Guid.NewGuid()}\",\"round\":1,\"demand\":25,\"proposal\":{proposal}}}]");

        Assert.Null(error);
        Assert.False(result!.Value.GetProperty("duplicate").GetBoolean());
    }

    [Theory]
    [InlineData("[2.5,2.5,2.5,2.5]")] // sums to 10 of K = 100
    [InlineData("[25,25,25,24.9]")]
    [InlineData("[0,0,0,0]")]
    public async Task A_proposal_that_does_not_sum_to_the_pool_is_refused_and_writes_nothing(string proposal)
    {
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.OpenRoundAsync(_session, 60);
        var gov = await _server.SignInAsync("gov");
        await using var raw = await RawHubConnection.ConnectAsync(_server.BaseAddress, gov.Cookies);
        var before = await StateAsync();

        var (error, _) = await raw.InvokeAsync("SubmitBid", $"[\"{_session}\", {{\"bidId\":\"{Guid.NewGuid()}\",\"round\":1,\"demand\":25,\"proposal\":{proposal}}}]");

        Assert.NotNull(error);
        Assert.Contains("proposal", error, StringComparison.Ordinal);
        Assert.Contains("sum to the pool K = 100", error, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
    }

    [Theory]
    [InlineData("null", "demand")] // JSON.stringify({demand: NaN}) sends null
    [InlineData("\"500\"", "demand")]
    [InlineData("\"\"", "demand")]
    [InlineData("true", "demand")]
    [InlineData("{}", "demand")]
    [InlineData("[30]", "demand")]
    public async Task A_demand_of_the_wrong_JSON_type_is_refused_naming_the_field(string demand, string field)
    {
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.OpenRoundAsync(_session, 60);
        var gov = await _server.SignInAsync("gov");
        await using var raw = await RawHubConnection.ConnectAsync(_server.BaseAddress, gov.Cookies);
        var before = await StateAsync();

        var (error, _) = await raw.InvokeAsync("SubmitBid", $"[\"{_session}\", {{\"bidId\":\"{Guid.NewGuid()}\",\"round\":1,\"demand\":{demand}}}]");

        Assert.NotNull(error);
        Assert.Contains($"Invalid input — {field}: must be a finite number", error, StringComparison.Ordinal);
        Assert.DoesNotContain("error on the server", error, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, raw.State);
    }

    [Theory]
    [InlineData("SubmitBid", "[\"SESSION\", {\"bidId\":\"BID\",\"round\":\"1\",\"demand\":30}]", "round: must be a whole number")]
    [InlineData("SubmitBid", "[\"SESSION\", {\"bidId\":\"BID\",\"round\":null,\"demand\":30}]", "round: must be a whole number")]
    [InlineData("SubmitBid", "[\"SESSION\", {\"bidId\":\"BID\",\"round\":1.5,\"demand\":30}]", "round: must be a whole number")]
    [InlineData("SubmitBid", "[\"SESSION\", {\"bidId\":\"not-a-guid\",\"round\":1,\"demand\":30}]", "bidId: must be a non-empty GUID")]
    [InlineData("SubmitBid", "[\"SESSION\", {\"bidId\":\"BID\",\"round\":1,\"demand\":30,\"proposal\":[25,null,25,25]}]", "proposal[1]: must be a finite number")]
    [InlineData("SubmitBid", "[\"SESSION\", {\"bidId\":\"BID\",\"round\":1,\"demand\":30,\"proposal\":\"25\"}]", "proposal: must be a list of numbers")]
    [InlineData("SubmitBid", "[\"SESSION\", null]", "bid: is required")]
    [InlineData("SubmitBid", "[\"SESSION\", 5]", "bid: must be an object")]
    [InlineData("OpenRound", "[\"SESSION\", \"60\"]", "deadlineSeconds: must be a whole number")]
    [InlineData("OpenRound", "[\"SESSION\", null]", "deadlineSeconds: must be a whole number")]
    [InlineData("JoinSession", "[\"not-a-guid\"]", "sessionId: must be a GUID")]
    [InlineData("JoinSession", "[5]", "sessionId: must be a GUID")]
    public async Task Other_arguments_of_the_wrong_JSON_type_are_refused_naming_the_field(string method, string arguments, string expected)
    {
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.OpenRoundAsync(_session, 60);
        var user = await _server.SignInAsync(method == "OpenRound" ? "coordinator" : "gov");
        await using var raw = await RawHubConnection.ConnectAsync(_server.BaseAddress, user.Cookies);
        var before = await StateAsync();

        var (error, _) = await raw.InvokeAsync(method, arguments
            .Replace("SESSION", _session.ToString(), StringComparison.Ordinal)
            .Replace("BID", Guid.NewGuid().ToString(), StringComparison.Ordinal));

        Assert.NotNull(error);
        Assert.Contains($"Invalid input — {expected}", error, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
    }

    private async Task<(int Bids, int Rounds, long Sequence)> StateAsync()
    {
        await using var db = _server.Database();
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == _session);
        return (await db.Bids.CountAsync(), await db.Rounds.CountAsync(), session.Sequence);
    }
}

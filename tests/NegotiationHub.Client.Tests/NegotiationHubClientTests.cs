using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using NegotiationHub.Client.Tests.TestServer;
using NegotiationHub.Client.Transport;
using NegotiationHub.Contracts;

namespace NegotiationHub.Client.Tests;

/// <summary>The typed client against a real Kestrel server over a real WebSocket.</summary>
public sealed class NegotiationHubClientTests : IAsyncLifetime
{
    private static readonly Guid SessionId = Guid.Parse("5d8f0a3e-2b1c-4e6f-9a7d-0c1b2a3d4e5f");
    private readonly List<NegotiationHubClient> _clients = [];
    private HubTestServer _server = null!;

    public async Task InitializeAsync() => _server = await HubTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Default);
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task StartAsync_connects_straight_over_a_websocket()
    {
        var client = await StartClientAsync();

        Assert.Equal(HubConnectionState.Connected, client.State);
        await TestTimeouts.EventuallyAsync(() => _server.State.ConnectionCount == 1, "the server holds one connection");
    }

    [Fact]
    public async Task JoinSessionAsync_returns_the_snapshot_as_the_server_sent_it()
    {
        var client = await StartClientAsync();

        var snapshot = await client.JoinSessionAsync(SessionId);

        var expected = EchoNegotiationHub.Snapshot(SessionId, 0, snapshot.ServerTimeUtc);
        Assert.Equivalent(expected, snapshot, strict: true);
        Assert.Equal(0, client.LastSequence(SessionId));
    }

    [Fact]
    public async Task SubmitBidAsync_returns_the_ack_and_the_session_receives_the_broadcast()
    {
        var bidder = await StartClientAsync();
        var watcher = await StartClientAsync();
        var accepted = new Inbox<BidAccepted>();
        watcher.OnBidAccepted(accepted.Handler);
        await bidder.JoinSessionAsync(SessionId);
        await watcher.JoinSessionAsync(SessionId);
        var bid = new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 62.5, Proposal = [62.5, 37.5] };

        var ack = await bidder.SubmitBidAsync(SessionId, bid);
        var broadcast = await accepted.NextAsync();

        Assert.Equal(bid.BidId, ack.BidId);
        Assert.False(ack.Duplicate);
        Assert.Equal(ack.Sequence, broadcast.Sequence);
        Assert.Equal(bid.BidId, broadcast.BidId);
        Assert.Equal(62.5, broadcast.Demand);
        Assert.Equal([62.5, 37.5], broadcast.Proposal);
        Assert.Equal(ack.Sequence, watcher.LastSequence(SessionId));
    }

    [Fact]
    public async Task A_HubException_reaches_the_caller_with_its_message_and_the_connection_stays_up()
    {
        var client = await StartClientAsync();
        var bid = new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = -1 };

        var error = await Assert.ThrowsAsync<HubException>(() => client.SubmitBidAsync(SessionId, bid));

        Assert.Contains("demand: must be a finite number ≥ 0, was -1.", error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, client.State);
        await client.JoinSessionAsync(SessionId);
    }

    [Fact]
    public async Task OpenRound_and_CloseRound_return_what_the_session_is_sent()
    {
        var client = await StartClientAsync();
        var opened = new Inbox<RoundOpened>();
        var closed = new Inbox<RoundClosed>();
        client.OnRoundOpened(opened.Handler);
        client.OnRoundClosed(closed.Handler);
        await client.JoinSessionAsync(SessionId);

        var openResult = await client.OpenRoundAsync(SessionId, deadlineSeconds: 30);
        var closeResult = await client.CloseRoundAsync(SessionId);

        Assert.Equal(openResult.OpenedUtc.AddSeconds(30), openResult.DeadlineUtc);
        Assert.Equivalent(openResult, await opened.NextAsync(), strict: true);
        Assert.Equivalent(EchoNegotiationHub.Analysis(EchoNegotiationHub.FixedTime), closeResult.Analysis, strict: true);
        Assert.Equivalent(closeResult, await closed.NextAsync(), strict: true);
        Assert.Equal(2, client.LastSequence(SessionId));
    }

    [Fact]
    public async Task A_skipped_sequence_raises_GapDetected_before_the_message_is_handled()
    {
        var client = await StartClientAsync();
        var events = new Inbox<string>();
        client.OnBidAccepted(m => events.Handler($"message {m.Sequence}"));
        client.GapDetected += gap => events.Handler($"gap {gap.Expected}..{gap.Received} missed {gap.Missed}");
        await client.JoinSessionAsync(SessionId);

        await SendBidAcceptedAsync(sequence: 1);
        await SendBidAcceptedAsync(sequence: 4);

        Assert.Equal("message 1", await events.NextAsync());
        Assert.Equal("gap 2..4 missed 2", await events.NextAsync());
        Assert.Equal("message 4", await events.NextAsync());
        Assert.Equal(4, client.LastSequence(SessionId));
    }

    [Fact]
    public async Task A_message_the_snapshot_already_includes_is_dropped()
    {
        _server.State.NextSequence(SessionId);
        _server.State.NextSequence(SessionId);
        var client = await StartClientAsync();
        var accepted = new Inbox<BidAccepted>();
        var gaps = new Inbox<SequenceGap>();
        client.OnBidAccepted(accepted.Handler);
        client.GapDetected += gaps.Handler;
        var snapshot = await client.JoinSessionAsync(SessionId);

        await SendBidAcceptedAsync(sequence: 2);
        await SendBidAcceptedAsync(sequence: 3);

        Assert.Equal(2, snapshot.Sequence);
        Assert.Equal(3, (await accepted.NextAsync()).Sequence);
        await accepted.AssertEmptyAsync();
        await gaps.AssertEmptyAsync();
    }

    [Fact]
    public async Task A_pushed_snapshot_is_handled_and_becomes_the_new_baseline()
    {
        var client = await StartClientAsync();
        var snapshots = new Inbox<SessionSnapshot>();
        var accepted = new Inbox<BidAccepted>();
        var gaps = new Inbox<SequenceGap>();
        client.OnSessionSnapshot(snapshots.Handler);
        client.OnBidAccepted(accepted.Handler);
        client.GapDetected += gaps.Handler;
        await client.JoinSessionAsync(SessionId);

        await _server.Hub.Clients.All.SessionSnapshot(EchoNegotiationHub.Snapshot(SessionId, 10, EchoNegotiationHub.FixedTime));
        await SendBidAcceptedAsync(sequence: 11);

        Assert.Equal(10, (await snapshots.NextAsync()).Sequence);
        Assert.Equal(11, (await accepted.NextAsync()).Sequence);
        await gaps.AssertEmptyAsync();
    }

    [Fact]
    public async Task After_the_connection_drops_the_client_reconnects_and_rejoins_its_sessions()
    {
        var client = await StartClientAsync();
        var reconnecting = new Inbox<Exception?>();
        var reconnected = new Inbox<string?>();
        var snapshots = new Inbox<SessionSnapshot>();
        var accepted = new Inbox<BidAccepted>();
        client.Reconnecting += reconnecting.Handler;
        client.Reconnected += reconnected.Handler;
        client.OnSessionSnapshot(snapshots.Handler);
        client.OnBidAccepted(accepted.Handler);
        await client.JoinSessionAsync(SessionId);
        await TestTimeouts.EventuallyAsync(() => _server.State.ConnectionCount == 1, "the server holds the connection");

        _server.State.DropAll();

        Assert.IsType<WebSocketException>(await reconnecting.NextAsync());
        var rejoined = await snapshots.NextAsync();
        await reconnected.NextAsync();
        Assert.Equal(SessionId, rejoined.SessionId);
        Assert.Equal(2, _server.State.JoinCount);
        Assert.Equal(HubConnectionState.Connected, client.State);

        // Back in the session's group: its broadcasts arrive again.
        var ack = await client.SubmitBidAsync(SessionId, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 50 });
        Assert.Equal(ack.Sequence, (await accepted.NextAsync()).Sequence);
    }

    [Fact]
    public async Task A_rejoin_refused_because_the_session_is_moving_is_tried_again_until_it_is_back()
    {
        // Found by the two-node failover test: a member reconnected while its session's grain was
        // coming back on the survivor, its rejoin was refused as retryable, and it never rejoined.
        var client = await StartClientAsync();
        var snapshots = new Inbox<SessionSnapshot>();
        var accepted = new Inbox<BidAccepted>();
        client.OnSessionSnapshot(snapshots.Handler);
        client.OnBidAccepted(accepted.Handler);
        await client.JoinSessionAsync(SessionId);
        await TestTimeouts.EventuallyAsync(() => _server.State.ConnectionCount == 1, "the server holds the connection");
        _server.State.RefuseJoins = 2;

        _server.State.DropAll();

        Assert.Equal(SessionId, (await snapshots.NextAsync()).SessionId);
        Assert.Equal(1 + 3, _server.State.JoinCount); // the first join, two refused rejoins, the one that got back in
        var ack = await client.SubmitBidAsync(SessionId, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 50 });
        Assert.Equal(ack.Sequence, (await accepted.NextAsync()).Sequence); // back in the session's group
    }

    [Fact]
    public async Task A_rejoin_refused_for_good_is_not_tried_again()
    {
        var client = await StartClientAsync();
        var reconnected = new Inbox<string?>();
        var snapshots = new Inbox<SessionSnapshot>();
        client.Reconnected += reconnected.Handler;
        client.OnSessionSnapshot(snapshots.Handler);
        await client.JoinSessionAsync(SessionId);
        await TestTimeouts.EventuallyAsync(() => _server.State.ConnectionCount == 1, "the server holds the connection");
        _server.State.JoinRefusal = "You are not a member of this session.";
        _server.State.RefuseJoins = 5;

        _server.State.DropAll();

        await reconnected.NextAsync();
        Assert.Equal(2, _server.State.JoinCount); // asked once, refused for good
        await snapshots.AssertEmptyAsync();
    }

    [Fact]
    public async Task When_the_hub_aborts_the_connection_the_client_closes_without_reconnecting()
    {
        var client = await StartClientAsync();
        var reconnecting = new Inbox<Exception?>();
        var closed = new Inbox<Exception?>();
        client.Reconnecting += reconnecting.Handler;
        client.Closed += closed.Handler;
        await TestTimeouts.EventuallyAsync(() => _server.State.ConnectionCount == 1, "the server holds the connection");

        // HubCallerContext.Abort() sends a close message with allowReconnect: false (SignalR's
        // way for a server to say "go away", e.g. a revoked membership); the client must obey.
        _server.State.AbortAll();

        Assert.Null(await closed.NextAsync());
        Assert.Equal(HubConnectionState.Disconnected, client.State);
        await reconnecting.AssertEmptyAsync();
    }

    [Fact]
    public async Task When_reconnecting_gives_up_Closed_is_raised()
    {
        var client = await StartClientAsync(reconnectFor: TimeSpan.FromMilliseconds(300));
        var closed = new Inbox<Exception?>();
        client.Closed += closed.Handler;

        await TestTimeouts.EventuallyAsync(() => _server.State.ConnectionCount == 1, "the server holds the connection");

        // Refuse instead of stopping the server: a new server could be given the freed port.
        _server.State.RefuseConnections = true;
        _server.State.DropAll();

        Assert.IsType<OperationCanceledException>(await closed.NextAsync());
        Assert.Equal(HubConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task The_origin_header_and_the_auth_cookie_reach_the_server()
    {
        var cookies = new CookieContainer();
        cookies.Add(new Cookie(ServerState.AuthCookieName, "token-123", "/", _server.BaseUri.Host));

        await StartClientAsync(ws =>
        {
            ws.Cookies = cookies;
            ws.Headers["Origin"] = "https://app.example";
        });

        // The server records the handshake on its own thread, after the client may already have returned.
        await TestTimeouts.EventuallyAsync(() => _server.State.Handshakes.Count > 0, "the server saw the handshake");
        var handshake = Assert.Single(_server.State.Handshakes);
        Assert.Equal("https://app.example", handshake.Origin);
        Assert.Equal("token-123", handshake.AuthCookie);
    }

    [Fact]
    public async Task StartAsync_fails_when_the_server_refuses_the_websocket()
    {
        var client = CreateClient(ws => ws.Headers["Origin"] = HubTestServer.ForbiddenOrigin);

        var error = await Assert.ThrowsAsync<WebSocketException>(() => client.StartAsync().WaitAsync(TestTimeouts.Default));

        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task DisposeAsync_completes_promptly_and_fails_the_pending_invocations()
    {
        _server.State.StallBids = true;
        var client = await StartClientAsync();
        var pending = client.SubmitBidAsync(SessionId, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 50 });
        await Task.Delay(TestTimeouts.Absence);
        Assert.False(pending.IsCompleted);

        var stopwatch = Stopwatch.StartNew();
        await client.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Default);
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"Dispose took {stopwatch.Elapsed}.");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(TestTimeouts.Default));
        await TestTimeouts.EventuallyAsync(() => _server.State.ConnectionCount == 0, "the server has seen the client go");
    }

    [Fact]
    public async Task Cancelling_an_invocation_stops_waiting_for_its_result()
    {
        _server.State.StallBids = true;
        var client = await StartClientAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.SubmitBidAsync(SessionId, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 50 }, cancel.Token).WaitAsync(TestTimeouts.Default));

        Assert.Equal(HubConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task A_throwing_handler_does_not_keep_the_next_handler_from_running()
    {
        var client = await StartClientAsync();
        var accepted = new Inbox<BidAccepted>();
        client.OnBidAccepted(_ => throw new InvalidOperationException("handler bug"));
        client.OnBidAccepted(accepted.Handler);
        await client.JoinSessionAsync(SessionId);

        await SendBidAcceptedAsync(sequence: 1);

        Assert.Equal(1, (await accepted.NextAsync()).Sequence);
    }

    [Fact]
    public async Task A_disposed_registration_receives_nothing_more()
    {
        var client = await StartClientAsync();
        var removed = new Inbox<BidAccepted>();
        var kept = new Inbox<BidAccepted>();
        var registration = client.OnBidAccepted(removed.Handler);
        client.OnBidAccepted(kept.Handler);
        await client.JoinSessionAsync(SessionId);

        registration.Dispose();
        await SendBidAcceptedAsync(sequence: 1);

        Assert.Equal(1, (await kept.NextAsync()).Sequence);
        await removed.AssertEmptyAsync();
    }

    [Fact]
    public async Task After_LeaveSessionAsync_the_session_is_not_tracked_or_rejoined()
    {
        var client = await StartClientAsync();
        var reconnected = new Inbox<string?>();
        client.Reconnected += reconnected.Handler;
        await client.JoinSessionAsync(SessionId);

        await client.LeaveSessionAsync(SessionId);
        _server.State.DropAll();
        await reconnected.NextAsync();

        Assert.Null(client.LastSequence(SessionId));
        Assert.Equal(1, _server.State.JoinCount);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/hubs/negotiation")]
    [InlineData("https://hub.example/", "https://hub.example/hubs/negotiation")]
    [InlineData("https://hub.example/tenant-a", "https://hub.example/tenant-a/hubs/negotiation")]
    [InlineData("https://hub.example/tenant-a/", "https://hub.example/tenant-a/hubs/negotiation")]
    public void HubUri_appends_the_hub_path_to_the_server_address(string server, string expected)
    {
        var options = new NegotiationHubClientOptions { ServerUri = new Uri(server) };

        Assert.Equal(new Uri(expected), options.HubUri);
    }

    [Fact]
    public async Task The_handshake_names_no_session_one_connection_serves_all_of_a_members_sessions()
    {
        var client = new NegotiationHubClient(new NegotiationHubClientOptions { ServerUri = _server.BaseUri });
        _clients.Add(client);

        await client.StartAsync().WaitAsync(TestTimeouts.Default);

        await TestTimeouts.EventuallyAsync(() => _server.State.Handshakes.Count > 0, "the server saw the handshake");
        Assert.Equal("", Assert.Single(_server.State.Handshakes).Query);
    }

    private Task SendBidAcceptedAsync(long sequence) =>
        _server.Hub.Clients.Group(EchoNegotiationHub.GroupOf(SessionId)).BidAccepted(new BidAccepted
        {
            SessionId = SessionId,
            Sequence = sequence,
            Round = 1,
            PartyIndex = 1,
            BidId = Guid.NewGuid(),
        });

    private async Task<NegotiationHubClient> StartClientAsync(Action<WebSocketConnectionOptions>? configure = null, TimeSpan? reconnectFor = null)
    {
        var client = CreateClient(configure, reconnectFor);
        await client.StartAsync().WaitAsync(TestTimeouts.Default);
        return client;
    }

    private NegotiationHubClient CreateClient(Action<WebSocketConnectionOptions>? configure = null, TimeSpan? reconnectFor = null)
    {
        var webSocket = new WebSocketConnectionOptions { CloseTimeout = TimeSpan.FromSeconds(1) };
        configure?.Invoke(webSocket);
        var client = new NegotiationHubClient(new NegotiationHubClientOptions
        {
            ServerUri = _server.BaseUri,
            WebSocket = webSocket,
            ReconnectPolicy = new JitteredBackoffRetryPolicy(
                initialDelay: TimeSpan.FromMilliseconds(50),
                maxDelay: TimeSpan.FromMilliseconds(200),
                maxElapsed: reconnectFor ?? TestTimeouts.Default),
        });
        _clients.Add(client);
        return client;
    }
}

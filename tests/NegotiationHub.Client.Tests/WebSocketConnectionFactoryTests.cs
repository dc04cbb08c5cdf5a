using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using NegotiationHub.Client.Tests.TestServer;
using NegotiationHub.Client.Transport;

namespace NegotiationHub.Client.Tests;

/// <summary>The WebSocket ↔ pipe bridge on its own, against raw WebSocket endpoints.</summary>
public sealed class WebSocketConnectionFactoryTests : IAsyncLifetime
{
    private HubTestServer _server = null!;

    public async Task InitializeAsync() => _server = await HubTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Bytes_written_to_the_output_come_back_through_the_input()
    {
        await using var connection = await ConnectAsync(HubTestServer.RawEchoPath);

        // Large enough to span many pipe segments, so the send loop writes a multi-frame message.
        var payload = new byte[256 * 1024];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)('a' + (i % 26));
        }

        await connection.Transport.Output.WriteAsync(payload);
        var echoed = await ReadExactlyAsync(connection.Transport.Input, payload.Length);

        Assert.Equal(payload, echoed);
    }

    [Fact]
    public async Task Disposing_sends_a_normal_close_frame_and_signals_ConnectionClosed()
    {
        var connection = await ConnectAsync(HubTestServer.RawEchoPath);

        await connection.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Default);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await _server.RawObservations.ClientClosed.Task.WaitAsync(TestTimeouts.Default));
        Assert.True(connection.ConnectionClosed.IsCancellationRequested);
    }

    [Fact]
    public async Task Disposing_aborts_after_the_close_timeout_when_the_server_never_answers()
    {
        var connection = await ConnectAsync(HubTestServer.RawSilentPath, closeTimeout: TimeSpan.FromMilliseconds(200));

        var stopwatch = Stopwatch.StartNew();
        await connection.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Default);
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"Dispose took {stopwatch.Elapsed}.");
        Assert.True(connection.ConnectionClosed.IsCancellationRequested);
    }

    [Fact]
    public async Task Disposing_aborts_after_the_close_timeout_when_a_send_is_stuck_on_backpressure()
    {
        var connection = await ConnectAsync(HubTestServer.RawSilentPath, closeTimeout: TimeSpan.FromMilliseconds(200));

        // The server never reads, so this fills the TCP window and the send loop blocks in SendAsync.
        var writing = connection.Transport.Output.WriteAsync(new byte[64 * 1024 * 1024]).AsTask();
        await Task.Delay(TestTimeouts.Absence);
        Assert.False(writing.IsCompleted);

        var stopwatch = Stopwatch.StartNew();
        await connection.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Default);
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"Dispose took {stopwatch.Elapsed}.");
        Assert.True((await writing.WaitAsync(TestTimeouts.Default)).IsCompleted);
    }

    [Fact]
    public async Task Completing_the_output_closes_the_connection_within_the_close_timeout()
    {
        await using var connection = await ConnectAsync(HubTestServer.RawSilentPath, closeTimeout: TimeSpan.FromMilliseconds(200));
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = connection.ConnectionClosed.Register(() => closed.TrySetResult());

        await connection.Transport.Output.CompleteAsync();

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(2));
        var read = await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(TestTimeouts.Default);
        Assert.True(read.IsCompleted);
    }

    [Fact]
    public async Task A_close_from_the_server_ends_the_input_and_is_answered()
    {
        await using var connection = await ConnectAsync(HubTestServer.RawClosePath);

        var read = await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(TestTimeouts.Default);

        Assert.True(read.IsCompleted);
        Assert.True(read.Buffer.IsEmpty);
        Assert.Equal(WebSocketState.Closed, await _server.RawObservations.ServerCloseCompleted.Task.WaitAsync(TestTimeouts.Default));
    }

    [Fact]
    public async Task Abort_stops_the_connection_without_waiting_for_the_close_timeout()
    {
        await using var connection = await ConnectAsync(HubTestServer.RawSilentPath, closeTimeout: TimeSpan.FromMinutes(1));
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = connection.ConnectionClosed.Register(() => closed.TrySetResult());

        connection.Abort();

        await closed.Task.WaitAsync(TestTimeouts.Default);
        var read = await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(TestTimeouts.Default);
        Assert.True(read.IsCompleted);
    }

    [Fact]
    public async Task ConnectAsync_refuses_an_endpoint_that_is_not_a_uri()
    {
        var factory = new WebSocketConnectionFactory(new WebSocketConnectionOptions());

        await Assert.ThrowsAsync<NotSupportedException>(() => factory.ConnectAsync(new IPEndPoint(IPAddress.Loopback, 80)).AsTask());
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/hubs/negotiation", "ws://127.0.0.1:5000/hubs/negotiation")]
    [InlineData("https://hub.example/hubs/negotiation", "wss://hub.example/hubs/negotiation")]
    [InlineData("ws://hub.example:8080/x", "ws://hub.example:8080/x")]
    [InlineData("wss://hub.example/x?tenant=a", "wss://hub.example/x?tenant=a")]
    public void Http_addresses_map_to_their_websocket_scheme(string address, string expected)
    {
        Assert.Equal(new Uri(expected), WebSocketConnectionFactory.ToWebSocketUri(new Uri(address)));
    }

    [Fact]
    public void Other_schemes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => WebSocketConnectionFactory.ToWebSocketUri(new Uri("ftp://hub.example/")));
    }

    private async Task<ConnectionContext> ConnectAsync(string path, TimeSpan? closeTimeout = null)
    {
        var options = new WebSocketConnectionOptions { CloseTimeout = closeTimeout ?? TimeSpan.FromSeconds(2) };
        var factory = new WebSocketConnectionFactory(options);
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        return await factory.ConnectAsync(new UriEndPoint(_server.UriOf(path)), timeout.Token);
    }

    private static async Task<byte[]> ReadExactlyAsync(PipeReader input, int length)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            var read = await input.ReadAsync(timeout.Token);
            if (read.Buffer.Length >= length)
            {
                var bytes = read.Buffer.Slice(0, length).ToArray();
                input.AdvanceTo(read.Buffer.GetPosition(length));
                return bytes;
            }

            Assert.False(read.IsCompleted, $"The input ended after {read.Buffer.Length} of {length} bytes.");
            input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}

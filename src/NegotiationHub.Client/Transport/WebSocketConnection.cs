using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace NegotiationHub.Client.Transport;

/// <summary>
/// One open WebSocket bridged to an <see cref="IDuplexPipe"/>: a receive loop copies frames from
/// the socket into the input pipe, a send loop copies what the application writes to the output
/// pipe onto the socket. Whichever side finishes first starts the WebSocket close handshake; the
/// other side then gets <see cref="WebSocketConnectionOptions.CloseTimeout"/> to finish before
/// the socket is aborted, so no loop outlives <see cref="DisposeAsync"/>.
/// </summary>
internal sealed partial class WebSocketConnection : ConnectionContext
{
    private readonly WebSocket _socket;
    private readonly ILogger _logger;
    private readonly TimeSpan _closeTimeout;
    private readonly WebSocketMessageType _messageType;

    // Socket → application.
    private readonly Pipe _input = new(new PipeOptions(useSynchronizationContext: false));

    // Application → socket.
    private readonly Pipe _output = new(new PipeOptions(useSynchronizationContext: false));

    // Cancelled to abort the socket: on Abort(), or when a graceful close runs out of time.
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly CancellationToken _closedToken;
    private readonly Lock _disposeLock = new();
    private Task _processing = Task.CompletedTask;
    private Task? _disposing;

    private WebSocketConnection(WebSocket socket, WebSocketConnectionOptions options, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        _closeTimeout = options.CloseTimeout;
        _messageType = options.TransferFormat == TransferFormat.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        _closedToken = _closed.Token;
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
    }

    /// <summary>A local id for logs; the server's connection id is not known without negotiate.</summary>
    public override string ConnectionId { get; set; } = Guid.NewGuid().ToString("N");

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    /// <summary>Cancelled once both loops have stopped and the socket is closed or aborted.</summary>
    public override CancellationToken ConnectionClosed
    {
        get => _closedToken;
        set => throw new NotSupportedException("The connection signals its own closing.");
    }

    /// <summary>Wraps an open socket and starts its loops.</summary>
    public static WebSocketConnection Start(WebSocket socket, WebSocketConnectionOptions options, ILogger logger)
    {
        var connection = new WebSocketConnection(socket, options, logger);
        connection._processing = connection.ProcessAsync();
        return connection;
    }

    /// <summary>Aborts the socket at once, without the close handshake.</summary>
    public override void Abort(ConnectionAbortedException abortReason)
    {
        LogAborting(_logger, ConnectionId, abortReason);
        CancelAbort();
    }

    /// <summary>
    /// Closes the connection: sends the close frame, waits up to the close timeout for the
    /// server's, then aborts whatever is left. Safe to call more than once and concurrently.
    /// </summary>
    public override ValueTask DisposeAsync()
    {
        lock (_disposeLock)
        {
            _disposing ??= DisposeCoreAsync();
            return new ValueTask(_disposing);
        }
    }

    private async Task DisposeCoreAsync()
    {
        // The application will write no more: the send loop drains what is left, then sends the
        // close frame. All of that, and the server's answer, get the close timeout; the timer is
        // armed here too because a send blocked on a full TCP window would never let
        // ProcessAsync arm its own.
        await _output.Writer.CompleteAsync().ConfigureAwait(false);
        ArmAbortTimer();
        await _processing.ConfigureAwait(false);

        await _input.Reader.CompleteAsync().ConfigureAwait(false);
        _socket.Dispose();
        _abort.Dispose();
    }

    private void CancelAbort()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed: the socket is closed, nothing to abort.
        }
    }

    private void ArmAbortTimer()
    {
        try
        {
            _abort.CancelAfter(_closeTimeout);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ProcessAsync()
    {
        try
        {
            var receiving = ReceiveLoopAsync(_abort.Token);
            var sending = SendLoopAsync(_abort.Token);

            if (await Task.WhenAny(receiving, sending).ConfigureAwait(false) == receiving)
            {
                // The server closed (or the socket failed): nothing more can be sent. Wake the
                // send loop so it answers the server's close frame and stops.
                _output.Reader.CancelPendingRead();
            }

            // Either way the connection is closing: the other loop has the close timeout to finish.
            ArmAbortTimer();
            await Task.WhenAll(receiving, sending).ConfigureAwait(false);
        }
        finally
        {
            LogClosed(_logger, ConnectionId, _socket.State, _socket.CloseStatus);
            await _closed.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken abort)
    {
        // Yield so that Start returns before the first receive.
        await Task.Yield();
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = _input.Writer.GetMemory();
                var received = await _socket.ReceiveAsync(memory, abort).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    LogCloseReceived(_logger, ConnectionId, _socket.CloseStatus, _socket.CloseStatusDescription);
                    break;
                }

                // Hub messages carry their own framing (JSON: record separators), so WebSocket
                // message boundaries do not matter: pass bytes on as they come.
                _input.Writer.Advance(received.Count);
                var flushed = await _input.Writer.FlushAsync(abort).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    // The application stopped reading.
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Aborted on purpose; the application sees a plain end of input.
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            // The server went away without a close handshake: let the application (and its
            // reconnect logic) see why.
            LogReceiveFailed(_logger, ConnectionId, ex);
            error = ex;
        }
        finally
        {
            await _input.Writer.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync(CancellationToken abort)
    {
        await Task.Yield();
        Exception? error = null;
        try
        {
            while (true)
            {
                var read = await _output.Reader.ReadAsync(abort).ConfigureAwait(false);
                var buffer = read.Buffer;
                try
                {
                    if (read.IsCanceled)
                    {
                        break;
                    }

                    if (!buffer.IsEmpty)
                    {
                        await SendAsync(buffer, abort).ConfigureAwait(false);
                    }

                    if (read.IsCompleted)
                    {
                        break;
                    }
                }
                finally
                {
                    _output.Reader.AdvanceTo(buffer.End);
                }
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            LogSendFailed(_logger, ConnectionId, ex);
            error = ex;
        }
        finally
        {
            await SendCloseFrameAsync(error is null ? WebSocketCloseStatus.NormalClosure : WebSocketCloseStatus.InternalServerError, abort).ConfigureAwait(false);

            // Completing the reader makes further application writes report completion.
            await _output.Reader.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(ReadOnlySequence<byte> buffer, CancellationToken abort)
    {
        if (buffer.IsSingleSegment)
        {
            await _socket.SendAsync(buffer.First, _messageType, endOfMessage: true, abort).ConfigureAwait(false);
            return;
        }

        // One WebSocket message per flush, one frame per segment; the last frame ends the message.
        var position = buffer.Start;
        buffer.TryGet(ref position, out var segment);
        while (buffer.TryGet(ref position, out var next))
        {
            await _socket.SendAsync(segment, _messageType, endOfMessage: false, abort).ConfigureAwait(false);
            segment = next;
        }

        await _socket.SendAsync(segment, _messageType, endOfMessage: true, abort).ConfigureAwait(false);
    }

    /// <summary>Starts the close handshake, or answers the server's close frame.</summary>
    private async Task SendCloseFrameAsync(WebSocketCloseStatus status, CancellationToken abort)
    {
        if (abort.IsCancellationRequested || _socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            await _socket.CloseOutputAsync(status, statusDescription: null, abort).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            // The socket is going away anyway; the receive loop reports why.
            LogCloseFailed(_logger, ConnectionId, ex);
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "WebSocket connection {ConnectionId} closed: state {State}, close status {CloseStatus}.")]
    private static partial void LogClosed(ILogger logger, string connectionId, WebSocketState state, WebSocketCloseStatus? closeStatus);

    [LoggerMessage(2, LogLevel.Debug, "WebSocket connection {ConnectionId} received the server's close frame: {CloseStatus} {Description}.")]
    private static partial void LogCloseReceived(ILogger logger, string connectionId, WebSocketCloseStatus? closeStatus, string? description);

    [LoggerMessage(3, LogLevel.Information, "WebSocket connection {ConnectionId} failed while receiving.")]
    private static partial void LogReceiveFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(4, LogLevel.Information, "WebSocket connection {ConnectionId} failed while sending.")]
    private static partial void LogSendFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(5, LogLevel.Debug, "WebSocket connection {ConnectionId} could not send its close frame.")]
    private static partial void LogCloseFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(6, LogLevel.Debug, "WebSocket connection {ConnectionId} is being aborted.")]
    private static partial void LogAborting(ILogger logger, string connectionId, Exception exception);

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}

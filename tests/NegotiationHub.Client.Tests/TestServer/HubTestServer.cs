using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NegotiationHub.Contracts;

namespace NegotiationHub.Client.Tests.TestServer;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (a free port) with the echo hub at
/// <see cref="HubRoutes.Negotiation"/>, an Origin check in front of it, and raw WebSocket
/// endpoints that test the transport alone.
/// </summary>
internal sealed class HubTestServer : IAsyncDisposable
{
    /// <summary>An Origin the server refuses with 403, as the real server refuses one not on its allow-list.</summary>
    public const string ForbiddenOrigin = "https://evil.example";

    /// <summary>Echoes every message back; records the client's close frame.</summary>
    public const string RawEchoPath = "/raw/echo";

    /// <summary>Accepts the WebSocket and then never reads or writes (never answers a close).</summary>
    public const string RawSilentPath = "/raw/silent";

    /// <summary>Accepts the WebSocket and closes it at once; records whether the client answered.</summary>
    public const string RawClosePath = "/raw/close";

    private readonly WebApplication _app;

    private HubTestServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
        State = app.Services.GetRequiredService<ServerState>();
        RawObservations = app.Services.GetRequiredService<RawObservations>();
        Hub = app.Services.GetRequiredService<IHubContext<EchoNegotiationHub, INegotiationClient>>();
    }

    public Uri BaseUri { get; }

    public ServerState State { get; }

    public RawObservations RawObservations { get; }

    /// <summary>Sends server → client messages with any sequence number the test wants.</summary>
    public IHubContext<EchoNegotiationHub, INegotiationClient> Hub { get; }

    public Uri UriOf(string path) => new(BaseUri, path);

    public static async Task<HubTestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<ServerState>();
        builder.Services.AddSingleton<RawObservations>();
        builder.Services.AddSingleton(TimeProvider.System);

        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.UseWebSockets();
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Origin == ForbiddenOrigin || context.RequestServices.GetRequiredService<ServerState>().RefuseConnections)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            await next(context);
        });
        app.MapHub<EchoNegotiationHub>(HubRoutes.Negotiation);
        app.Map(RawEchoPath, (RequestDelegate)RawEchoAsync);
        app.Map(RawSilentPath, (RequestDelegate)RawSilentAsync);
        app.Map(RawClosePath, (RequestDelegate)RawCloseAsync);

        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        await app.StartAsync(timeout.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new HubTestServer(app, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private static async Task RawEchoAsync(HttpContext context)
    {
        var observations = context.RequestServices.GetRequiredService<RawObservations>();
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    observations.ClientClosed.TrySetResult(socket.CloseStatus);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            observations.ClientClosed.TrySetException(ex);
        }
    }

    private static async Task RawSilentAsync(HttpContext context)
    {
        // Also end when the server stops: a client that flooded this socket is not noticed going
        // away, because Kestrel stops reading a connection whose buffers are full.
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        try
        {
            await Task.Delay(Timeout.Infinite, done.Token);
        }
        catch (OperationCanceledException)
        {
            // The client aborted, as it should once its close timeout ran out, or the server stops.
        }
    }

    private static async Task RawCloseAsync(HttpContext context)
    {
        var observations = context.RequestServices.GetRequiredService<RawObservations>();
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        try
        {
            // CloseAsync returns once the client's close frame arrives: the handshake completed.
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
            observations.ServerCloseCompleted.TrySetResult(socket.State);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            observations.ServerCloseCompleted.TrySetException(ex);
        }
    }
}

/// <summary>What the raw WebSocket endpoints saw.</summary>
internal sealed class RawObservations
{
    public TaskCompletionSource<WebSocketCloseStatus?> ClientClosed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<WebSocketState> ServerCloseCompleted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

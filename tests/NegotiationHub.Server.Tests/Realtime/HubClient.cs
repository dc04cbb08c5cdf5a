using System.Collections.Concurrent;
using NegotiationHub.Client;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>A typed hub client plus an inbox of everything the server sent it.</summary>
public sealed class HubClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);
    private readonly ConcurrentQueue<object> _inbox = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public HubClient(NegotiationHubClient client)
    {
        Client = client;
        client.OnRoundOpened(Record);
        client.OnBidAccepted(Record);
        client.OnRoundClosed(Record);
        client.OnAgreementReached(Record);
        client.OnContractRevised(Record);
        client.OnPresenceChanged(Record);
        client.OnSessionSnapshot(Record);
    }

    public NegotiationHubClient Client { get; }

    public IReadOnlyList<T> Received<T>() => _inbox.OfType<T>().ToList();

    /// <summary>Waits until a message of type <typeparamref name="T"/> matching <paramref name="match"/> has arrived.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultWait);
        while (true)
        {
            var found = _inbox.OfType<T>().FirstOrDefault(m => match is null || match(m));
            if (found is not null)
            {
                return found;
            }

            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {typeof(T).Name} arrived; inbox: {string.Join(", ", _inbox.Select(m => m.GetType().Name))}");
            }
        }
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();

    private Task Record<T>(T message)
        where T : notnull
    {
        _inbox.Enqueue(message);
        _arrived.Release();
        return Task.CompletedTask;
    }
}

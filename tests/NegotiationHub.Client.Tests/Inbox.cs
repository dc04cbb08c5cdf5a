using System.Threading.Channels;

namespace NegotiationHub.Client.Tests;

/// <summary>Collects what a handler receives, for the test to take one at a time with a bounded wait.</summary>
internal sealed class Inbox<T>
{
    private readonly Channel<T> _items = Channel.CreateUnbounded<T>();

    /// <summary>A handler that puts each message in the inbox.</summary>
    public Func<T, Task> Handler => item =>
    {
        _items.Writer.TryWrite(item);
        return Task.CompletedTask;
    };

    /// <summary>The next item, failing the test if none arrives within <see cref="TestTimeouts.Default"/>.</summary>
    public async Task<T> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        try
        {
            return await _items.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {typeof(T).Name} arrived within {TestTimeouts.Default}.");
        }
    }

    /// <summary>Asserts nothing more arrives within <see cref="TestTimeouts.Absence"/>.</summary>
    public async Task AssertEmptyAsync()
    {
        await Task.Delay(TestTimeouts.Absence);
        Assert.False(_items.Reader.TryRead(out var item), $"Unexpected {typeof(T).Name}: {item}");
    }
}

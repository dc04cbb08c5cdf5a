namespace NegotiationHub.Client.Tests;

/// <summary>Bounds on every wait in the tests, so a broken client fails a test instead of hanging the run.</summary>
internal static class TestTimeouts
{
    /// <summary>How long anything that should happen may take.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for something that should not happen.</summary>
    public static readonly TimeSpan Absence = TimeSpan.FromMilliseconds(300);

    /// <summary>Polls <paramref name="condition"/> until it holds, failing after <see cref="Default"/>.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Default);
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }
}

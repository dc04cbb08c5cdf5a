using Microsoft.Extensions.Time.Testing;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>The clock test servers run on: the library's <see cref="FakeTimeProvider"/>, moved by hand.</summary>
public static class TestClock
{
    /// <summary>
    /// Starts now, at a time with a fraction finer than a microsecond (as a real clock has, and as
    /// PostgreSQL's timestamps do not keep), so every test meets the precision a database stores.
    /// </summary>
    public static FakeTimeProvider Create() =>
        new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddTicks(1_234_567));
}

namespace NegotiationHub.Data;

/// <summary>
/// Time as the database keeps it. PostgreSQL's <c>timestamp with time zone</c> holds microseconds
/// and .NET's ticks are ten times finer, so every time the application stores is first taken to
/// the microsecond: what a client is told (a round's deadline, a revision's effective time) is
/// then exactly what it reads back later — after a reconnect, a restart, or on another node — on
/// either provider.
/// </summary>
public static class DatabaseClock
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>The current UTC time of <paramref name="time"/>, to the microsecond.</summary>
    public static DateTime GetDatabaseUtcNow(this TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return ToMicrosecond(time.GetUtcNow().UtcDateTime);
    }

    /// <summary><paramref name="utc"/> truncated to the microsecond, as UTC.</summary>
    public static DateTime ToMicrosecond(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % TicksPerMicrosecond), DateTimeKind.Utc);
}

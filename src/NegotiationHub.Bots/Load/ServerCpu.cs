using System.Globalization;

namespace NegotiationHub.Bots.Load;

/// <summary>The server's CPU time (user + system, all threads), from Linux's <c>/proc/PID/stat</c>.</summary>
public static class ServerCpu
{
    /// <summary>Clock ticks per second of <c>/proc</c>'s times (USER_HZ, 100 on every Linux the kernel ABI allows user space to see).</summary>
    public const double TicksPerSecond = 100;

    /// <summary>The process's CPU seconds so far, or null when they cannot be read (no such process, not Linux).</summary>
    public static double? Seconds(int? pid)
    {
        if (pid is null)
        {
            return null;
        }

        try
        {
            return Parse(File.ReadAllText($"/proc/{pid.Value.ToString(CultureInfo.InvariantCulture)}/stat"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// utime + stime (fields 14 and 15) of a <c>/proc/PID/stat</c> line in seconds, or null if the
    /// line is malformed. The command name (field 2) is in parentheses and may hold spaces and
    /// parentheses itself, so fields are counted after its last <c>)</c>.
    /// </summary>
    public static double? Parse(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After ") " come field 3 (state), 4, 5, …: utime is field 14, i.e. the 12th from here.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
        {
            return null;
        }

        return (user + system) / TicksPerSecond;
    }
}

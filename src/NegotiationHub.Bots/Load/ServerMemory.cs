using System.Globalization;

namespace NegotiationHub.Bots.Load;

/// <summary>The server's resident memory, from Linux's <c>/proc/PID/status</c>.</summary>
public static class ServerMemory
{
    /// <summary>VmRSS of a process in KiB, or null when it cannot be read (no such process, not Linux).</summary>
    public static long? ResidentKilobytes(int? pid)
    {
        if (pid is null)
        {
            return null;
        }

        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.Value.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }

        return null;
    }
}

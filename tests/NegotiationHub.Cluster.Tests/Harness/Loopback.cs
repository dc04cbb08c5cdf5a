using System.Net;
using System.Net.Sockets;

namespace NegotiationHub.Cluster.Tests.Harness;

/// <summary>Loopback addresses for the processes a test starts.</summary>
internal static class Loopback
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static Uri Http(int port) => new($"http://127.0.0.1:{port}/");

    /// <summary>A fresh folder under the system temp folder, readable by other users (nginx workers, the postgres user).</summary>
    public static string NewFolder(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteFolder(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a process may still hold a file for a moment
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

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

    /// <summary><paramref name="count"/> different free ports.</summary>
    public static int[] DistinctPorts(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(FreePort());
        }

        return [.. ports];
    }

    public static Uri Http(int port) => new($"http://127.0.0.1:{port}/");

    /// <summary>
    /// Polls <paramref name="url"/> until it answers with a success status, failing at once when
    /// <paramref name="process"/> exits and after <paramref name="limit"/> otherwise; failures
    /// quote <paramref name="diagnostics"/>.
    /// </summary>
    public static async Task WaitUntilAnswersAsync(Uri url, System.Diagnostics.Process process, TimeSpan limit, Func<string> diagnostics)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode} before {url} answered\n{diagnostics()}");
            }

            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{url} did not answer within {limit}\n{diagnostics()}");
    }

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

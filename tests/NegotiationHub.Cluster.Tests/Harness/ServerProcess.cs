using System.Diagnostics;

namespace NegotiationHub.Cluster.Tests.Harness;

/// <summary>
/// A real server process (<c>dotnet NegotiationHub.Server.dll</c>) on 127.0.0.1, configured by
/// environment variables as an operator would. <see cref="KillAsync"/> is kill -9; start another on
/// the same settings to restart it. Its output goes to a log file whose tail failures quote.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "keeper-of-keys-2026";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();

    private ServerProcess(string name, int port, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        Port = port;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    /// <summary>The node's name (its <c>Node:Name</c>, echoed in the X-Node header).</summary>
    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress => Loopback.Http(Port);

    public string LogPath { get; }

    /// <summary>Settings every test server gets: the first admin, and limits that a load test would trip.</summary>
    public static Dictionary<string, string> BaseSettings(string keysFolder) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Admin__UserName"] = AdminUser,
        ["Admin__Password"] = AdminPassword,
        ["DataProtection__KeysPath"] = keysFolder,
        ["Hub__InvocationsPerSecond"] = "10000",
        ["RateLimits__Models__SignInPermitLimit"] = "100000",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__NegotiationHub"] = "Information",
    };

    /// <summary>Starts the server and waits until <c>/health</c> answers.</summary>
    public static async Task<ServerProcess> StartAsync(string name, int port, IReadOnlyDictionary<string, string> settings, string logFolder)
    {
        if (!File.Exists(Repository.ServerDll))
        {
            throw new InvalidOperationException($"{Repository.ServerDll} is missing: build the solution in {Repository.Configuration} first.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            // The content root (appsettings.json) is the build folder.
            WorkingDirectory = Path.GetDirectoryName(Repository.ServerDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Repository.ServerDll);
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Node__Name"] = name;

        var logPath = Path.Combine(logFolder, $"{name}.{DateTime.UtcNow:HHmmss.fff}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var server = new ServerProcess(name, port, process, log, logPath);
        process.OutputDataReceived += (_, e) => server.Write(e.Data);
        process.ErrorDataReceived += (_, e) => server.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Loopback.WaitUntilAnswersAsync(new Uri(server.BaseAddress, "/health"), process, StartLimit, () => server.LogTail());
        return server;
    }

    /// <summary>kill -9: no shutdown, no flush; whatever was not committed is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false); // SIGKILL on Linux
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _process.WaitForExitAsync(limit.Token);
    }

    /// <summary>A graceful stop, as a service manager does it: SIGTERM, then wait for the process to leave.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            await Command.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(limit.Token);
    }

    /// <summary>The process's CPU time so far (user + system), for CPU per bid.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The last lines of the server's output, for assertion messages.</summary>
    public string LogTail(int lines = 40)
    {
        lock (_logLock)
        {
            _log.Flush();
        }

        try
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            var all = reader.ReadToEnd().Split('\n');
            return $"--- {Name} ({LogPath}) ---\n" + string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException exception)
        {
            return $"--- {Name}: log unreadable: {exception.Message}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        lock (_logLock)
        {
            _log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}

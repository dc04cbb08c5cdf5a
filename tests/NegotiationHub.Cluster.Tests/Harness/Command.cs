using System.Diagnostics;
using System.Text;

namespace NegotiationHub.Cluster.Tests.Harness;

/// <summary>Runs a command to completion within a time limit and returns its output.</summary>
internal static class Command
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, TimeSpan limit, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (error) { error.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish within {limit}: {error}");
        }

        lock (output)
        {
            lock (error)
            {
                return new Result(process.ExitCode, output.ToString(), error.ToString());
            }
        }
    }

    /// <summary>Installs Debian packages when a file they provide is missing (the suites run as root on a fresh machine).</summary>
    public static async Task EnsurePackageAsync(string providedFile, string package)
    {
        if (File.Exists(providedFile))
        {
            return;
        }

        var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        var install = await RunAsync("apt-get", ["install", "-y", "--no-install-recommends", package], TimeSpan.FromMinutes(10), environment);
        if (install.ExitCode != 0 || !File.Exists(providedFile))
        {
            // The package lists may be missing on a fresh machine.
            await RunAsync("apt-get", ["update"], TimeSpan.FromMinutes(10), environment);
            install = await RunAsync("apt-get", ["install", "-y", "--no-install-recommends", package], TimeSpan.FromMinutes(10), environment);
        }

        if (!File.Exists(providedFile))
        {
            throw new InvalidOperationException($"apt-get install {package} did not provide {providedFile} (exit {install.ExitCode}): {install.Error}");
        }
    }
}

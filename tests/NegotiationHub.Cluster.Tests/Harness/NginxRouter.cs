using System.Diagnostics;

namespace NegotiationHub.Cluster.Tests.Harness;

/// <summary>
/// Debian's nginx (installed when missing) running docker/nginx's routing file — the same
/// upstream without affinity, passive health checks and locations as the Docker deployment — with
/// the listen address and the nodes' addresses filled in for loopback. Its own prefix folder
/// holds the configuration, logs, pid and temp files; the package's default server is not used.
/// </summary>
internal sealed class NginxRouter : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    private readonly Process _process;

    private NginxRouter(int port, string prefix, Process process)
    {
        Port = port;
        Prefix = prefix;
        _process = process;
    }

    public int Port { get; }

    public string Prefix { get; }

    public Uri BaseAddress => Loopback.Http(Port);

    /// <summary>Fills in the routing template's placeholders (what compose passes as environment).</summary>
    public static string Render(string template, string listen, IEnumerable<string> nodes) =>
        template.Replace("${NH_LISTEN}", listen, StringComparison.Ordinal)
            .Replace("${NH_NODES}", string.Join("\n    ", nodes.Select(n => $"server {n} max_fails=2 fail_timeout=5s;")), StringComparison.Ordinal);

    public static async Task<NginxRouter> StartAsync(int port, params int[] nodePorts)
    {
        await Command.EnsurePackageAsync(Binary, "nginx");
        var prefix = Loopback.NewFolder("nh-nginx");
        foreach (var temp in new[] { "body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            // Workers run as an unprivileged user when nginx starts as root.
            var dir = Directory.CreateDirectory(Path.Combine(prefix, "temp", temp));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dir.FullName, (UnixFileMode)0x1FF);
            }
        }

        var routing = Render(await File.ReadAllTextAsync(Repository.NginxTemplate), $"127.0.0.1:{port}", nodePorts.Select(p => $"127.0.0.1:{p}"));
        if (routing.Contains("${", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the routing template has a placeholder the test does not fill");
        }

        await File.WriteAllTextAsync(Path.Combine(prefix, "negotiationhub.conf"), routing);
        var main = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(main, $$"""
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log info;
            events { worker_connections 1024; }
            http {
                access_log {{prefix}}/access.log;
                client_body_temp_path {{prefix}}/temp/body;
                proxy_temp_path {{prefix}}/temp/proxy;
                fastcgi_temp_path {{prefix}}/temp/fastcgi;
                uwsgi_temp_path {{prefix}}/temp/uwsgi;
                scgi_temp_path {{prefix}}/temp/scgi;
                include {{prefix}}/negotiationhub.conf;
            }
            """);

        var check = await Command.RunAsync(Binary, ["-t", "-c", main, "-p", prefix], TimeSpan.FromSeconds(30));
        if (check.ExitCode != 0)
        {
            throw new InvalidOperationException($"nginx -t rejected the routing file: {check.Error}");
        }

        var start = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-c", main, "-p", prefix, "-g", "daemon off;" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start nginx");
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var router = new NginxRouter(port, prefix, process);
        await Loopback.WaitUntilAnswersAsync(new Uri(router.BaseAddress, "/nginx-health"), process, TimeSpan.FromSeconds(20), () => router.ErrorLogTail());
        return router;
    }

    /// <summary>The end of nginx's error log (upstream failures are logged there), for assertion messages.</summary>
    public string ErrorLogTail(int lines = 30)
    {
        var path = Path.Combine(Prefix, "error.log");
        return File.Exists(path) ? string.Join('\n', File.ReadAllLines(path).TakeLast(lines)) : "(no error log)";
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _process.WaitForExitAsync(limit.Token);
        _process.Dispose();
        Loopback.DeleteFolder(Prefix);
    }
}

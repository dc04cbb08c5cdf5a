namespace NegotiationHub.Cluster.Tests.Harness;

/// <summary>
/// A cluster of server processes on 127.0.0.1 (ADR 0019): a PostgreSQL database and a Redis of its
/// own, and nodes started on demand, each with its own HTTP, silo and gateway ports. Disposing
/// stops the nodes (kill -9), Redis and PostgreSQL's database, and deletes the work folder.
/// </summary>
internal sealed class LoopbackCluster : IAsyncDisposable
{
    private readonly List<ServerProcess> _nodes = [];
    private readonly string _clusterId;

    private LoopbackCluster(string work, PostgresServer postgres, RedisServer redis, string database)
    {
        Work = work;
        Postgres = postgres;
        Redis = redis;
        Database = database;
        _clusterId = $"{Path.GetFileName(work)}";
    }

    public string Work { get; }

    public PostgresServer Postgres { get; }

    public RedisServer Redis { get; }

    /// <summary>The nodes' shared database (its connection string).</summary>
    public string Database { get; }

    public IReadOnlyList<ServerProcess> Nodes => _nodes;

    public static async Task<LoopbackCluster> StartAsync(string name)
    {
        var work = Loopback.NewFolder($"nh-{name}");
        var postgres = await PostgresServer.StartAsync();
        var redis = await RedisServer.StartAsync();
        return new LoopbackCluster(work, postgres, redis, postgres.NewDatabase($"nh_{name}"));
    }

    /// <summary>
    /// Starts a node of the cluster and waits until it answers; <paramref name="port"/> when nginx
    /// already has its address. The first node started migrates the database and creates the admin.
    /// </summary>
    public async Task<ServerProcess> StartNodeAsync(string name, int? port = null)
    {
        var ports = Loopback.DistinctPorts(3);
        var settings = ServerProcess.BaseSettings(Path.Combine(Work, "keys"));
        settings["Database__Provider"] = "Postgres";
        settings["Database__ConnectionString"] = Database;
        settings["Orleans__Redis"] = Redis.ConnectionString;
        settings["Orleans__ClusterId"] = _clusterId;
        settings["Orleans__SiloPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Orleans__GatewayPort"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture);
        var node = await ServerProcess.StartAsync(name, port ?? ports[0], settings, Work);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Every node's log tail, for assertion messages.</summary>
    public string Diagnostics(NginxRouter? nginx = null) =>
        string.Join('\n', _nodes.Select(n => n.LogTail())) + (nginx is null ? "" : $"\n--- nginx ---\n{nginx.ErrorLogTail()}");

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
        Loopback.DeleteFolder(Work);
    }
}

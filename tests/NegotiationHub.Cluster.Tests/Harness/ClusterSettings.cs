using System.Globalization;

namespace NegotiationHub.Cluster.Tests.Harness;

/// <summary>The settings of one node of a loopback cluster (ADR 0019): PostgreSQL, Redis, its own silo and gateway ports.</summary>
internal static class ClusterSettings
{
    public static Dictionary<string, string> For(string work, string database, RedisServer redis, string clusterId, int siloPort, int gatewayPort)
    {
        var settings = ServerProcess.BaseSettings(Path.Combine(work, "keys"));
        settings["Database__Provider"] = "Postgres";
        settings["Database__ConnectionString"] = database;
        settings["Orleans__Redis"] = redis.ConnectionString;
        settings["Orleans__ClusterId"] = clusterId;
        settings["Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        settings["Orleans__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        return settings;
    }
}

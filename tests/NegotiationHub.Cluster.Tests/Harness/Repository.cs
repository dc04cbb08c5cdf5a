namespace NegotiationHub.Cluster.Tests.Harness;

/// <summary>Where the repository, its scripts and the server build are, found from the test assembly's folder.</summary>
internal static class Repository
{
    /// <summary>The folder holding NegotiationHub.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built in (bin/{Configuration}/net10.0).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The server built in the same configuration (the project reference builds it first).</summary>
    public static string ServerDll => Path.Combine(Root, "src", "NegotiationHub.Server", "bin", Configuration, "net10.0", "NegotiationHub.Server.dll");

    /// <summary>nginx's routing file shared with the Docker deployment.</summary>
    public static string NginxTemplate => Path.Combine(Root, "docker", "nginx", "negotiationhub.conf.template");

    public static string Script(string name) => Path.Combine(Root, "scripts", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NegotiationHub.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No NegotiationHub.sln above {AppContext.BaseDirectory}.");
    }
}

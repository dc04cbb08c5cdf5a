namespace NegotiationHub.Contracts;

/// <summary>Where the hub is mapped on the server (PRODUCT.md "Public contracts").</summary>
public static class HubRoutes
{
    /// <summary>The negotiation hub's path, relative to the server's base address.</summary>
    public const string Negotiation = "/hubs/negotiation";

    /// <summary>
    /// The query key that names a connection's session on the hub address
    /// (<c>/hubs/negotiation?session={id}</c>): the affinity key a session-routing proxy hashes
    /// (docs/decisions/0005). The server itself ignores it.
    /// </summary>
    public const string SessionQueryKey = "session";
}

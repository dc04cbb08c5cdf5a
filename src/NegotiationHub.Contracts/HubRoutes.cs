namespace NegotiationHub.Contracts;

/// <summary>Where the hub is mapped on the server (PRODUCT.md "Public contracts").</summary>
public static class HubRoutes
{
    /// <summary>The negotiation hub's path, relative to the server's base address.</summary>
    public const string Negotiation = "/hubs/negotiation";

}

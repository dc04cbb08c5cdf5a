
namespace NegotiationHub.Server.Sessions;

public sealed record FactorView(int Index, string Name, double Weight);

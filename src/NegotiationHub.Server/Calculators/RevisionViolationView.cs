
namespace NegotiationHub.Server.Calculators;

/// <summary>One share that moves away from the optimum.</summary>
public sealed record RevisionViolationView(int Party, double Current, double Optimum, double Proposed, string Message);

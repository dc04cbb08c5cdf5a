
namespace NegotiationHub.Server.Calculators;

/// <summary>A complex eigenvalue re + i·im.</summary>
/// <param name="Re">Real part: &lt; 0 means a perturbation decays.</param>
/// <param name="Im">Imaginary part: non-zero means oscillation.</param>
public sealed record EigenvalueView(double Re, double Im);

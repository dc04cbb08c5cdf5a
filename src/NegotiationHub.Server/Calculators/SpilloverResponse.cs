
namespace NegotiationHub.Server.Calculators;

/// <summary>MODEL §8 output: one entry per cooperation regime, the β thresholds and, when asked, the β sweep.</summary>
/// <param name="Theta">θ = n − (n−1)β.</param>
/// <param name="Phi">φ = 1 + (n−1)β.</param>
/// <param name="RndCooperationThreshold">β₁ = 1/2: R&amp;D cooperation raises R&amp;D above no cooperation iff β &gt; β₁.</param>
/// <param name="FullCooperationThreshold">β₂ = (3n+1)/(n²+6n+1): full cooperation raises R&amp;D above no cooperation iff β &gt; β₂.</param>
/// <param name="Regimes">noCooperation (x*), rndCooperation (x̃), fullCooperation (x̂), in that order.</param>
/// <param name="Sweep">The R&amp;D levels over β, or null when <c>betaPoints</c> was not given.</param>
public sealed record SpilloverResponse(
    double Theta,
    double Phi,
    double RndCooperationThreshold,
    double FullCooperationThreshold,
    IReadOnlyList<SpilloverRegimeView> Regimes,
    SpilloverSweepView? Sweep);

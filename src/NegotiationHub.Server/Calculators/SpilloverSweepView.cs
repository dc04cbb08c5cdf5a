
namespace NegotiationHub.Server.Calculators;

/// <summary>The three R&amp;D levels over an even β grid from 0 to 1, as parallel series; null is a gap where the regime is invalid.</summary>
/// <param name="Beta">The β grid, ascending, 0 and 1 included.</param>
/// <param name="NoCooperation">x* at each β.</param>
/// <param name="RndCooperation">x̃ at each β.</param>
/// <param name="FullCooperation">x̂ at each β.</param>
public sealed record SpilloverSweepView(
    IReadOnlyList<double> Beta,
    IReadOnlyList<double?> NoCooperation,
    IReadOnlyList<double?> RndCooperation,
    IReadOnlyList<double?> FullCooperation);


namespace NegotiationHub.Server.Calculators;

/// <summary>The judgement that departs most from the weights (ADR 0001), with its JSON path.</summary>
/// <param name="Row">i (0-based).</param>
/// <param name="Column">j (0-based), &gt; i.</param>
/// <param name="Field">The JSON path of the judgement, e.g. <c>matrix[0][2]</c>.</param>
/// <param name="Value">a_ij as given.</param>
/// <param name="ImpliedRatio">w_i/w_j, the value the weights imply.</param>
/// <param name="SuggestedValue">The Saaty-scale value nearest to the implied ratio.</param>
/// <param name="Departure">|ln(a_ij · w_j / w_i)|.</param>
public sealed record AhpJudgementView(int Row, int Column, string Field, double Value, double ImpliedRatio, double SuggestedValue, double Departure);

using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Bargaining.Power;
using NegotiationHub.Bargaining.Utilities;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Live;

/// <summary>
/// The bargaining problem of one strength period of a session, and its Nash bargaining solution.
/// Parties, factors and λ are fixed once a session leaves draft, and the readings of a period are
/// never changed after that (a new period is recorded instead), so this is immutable for an open
/// session and is built once per activation of its live session (ADR 0012).
/// </summary>
public sealed record PeriodProblem(int Period, NashBargainingProblem Problem, NashBargainingSolution Target, double[][] Strengths)
{
    /// <summary>The problem of <paramref name="period"/> of a session loaded with its parties and factors (in order) and that period's strengths.</summary>
    public static PeriodProblem Of(NegotiationSession session, int period)
    {
        ArgumentNullException.ThrowIfNull(session);
        var strengths = StrengthsOf(session, period);
        var problem = Build(session.Parties, session.Factors, strengths, session.Pool);
        return new PeriodProblem(period, problem, NashBargainingSolver.Solve(problem), strengths);
    }

    /// <summary>The bargaining problem of stored parties, factors and strengths.</summary>
    public static NashBargainingProblem Build(IReadOnlyList<SessionParty> parties, IReadOnlyList<SessionFactor> factors, double[][] strengths, double pool)
    {
        ArgumentNullException.ThrowIfNull(parties);
        ArgumentNullException.ThrowIfNull(factors);
        var powers = BargainingPower.Powers(new BargainingPowerInput(strengths, factors.Select(f => f.Weight).ToArray()));
        var utilities = parties.Select((p, i) => Utility.Create(p.UtilityKind, p.UtilityParameter, $"parties[{i}].utility")).ToArray();
        return new NashBargainingProblem(pool, powers, utilities, parties.Select(p => p.Disagreement).ToArray());
    }

    /// <summary>The strengths table of the session's current period (parties × factors).</summary>
    public static double[][] CurrentStrengths(NegotiationSession session) => StrengthsOf(session, session.CurrentPeriod);

    /// <summary>The strengths table of a period.</summary>
    public static double[][] StrengthsOf(NegotiationSession session, int period)
    {
        ArgumentNullException.ThrowIfNull(session);
        var table = Enumerable.Range(0, session.Parties.Count).Select(_ => new double[session.Factors.Count]).ToArray();
        foreach (var r in session.Strengths.Where(r => r.Period == period))
        {
            table[r.PartyIndex][r.FactorIndex] = r.Value;
        }

        return table;
    }
}

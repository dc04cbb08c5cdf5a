using System.Text.Json;
using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Bargaining.Rounds;
using NegotiationHub.Bargaining.Utilities;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Data.Entities;
using NegotiationHub.Server.Infrastructure;
using NegotiationHub.Server.Live;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Sessions;

/// <summary>A validated session configuration: every rule of MODEL §1–4 checked before anything is written.</summary>
public sealed record SessionDefinition(
    string Name,
    string? Description,
    IReadOnlyList<SessionParty> Parties,
    IReadOnlyList<SessionFactor> Factors,
    double[][] Strengths,
    double Pool,
    double TangiblePool,
    BidMode BidMode,
    int RoundDeadlineSeconds,
    double AutoConcessionLambda,
    double RevisionLambda,
    string? FactorMatrixJson)
{
    public const int DefaultDeadlineSeconds = 120;

    /// <summary>Validates a request; throws <see cref="ModelValidationException"/> naming the field.</summary>
    public static SessionDefinition From(SessionSetupRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = RequestRules.Text(request.Name, "name");
        var description = RequestRules.OptionalText(request.Description, "description");
        var template = request.Template?.Trim();
        if (template is not null && template != SessionTemplate.ThreePlusOne)
        {
            throw new ModelValidationException("template", $"must be \"{SessionTemplate.ThreePlusOne}\" or omitted");
        }

        var parties = ValidateParties(request, template is not null);
        var factorNames = FactorNames(request, template is not null);
        var (weights, matrixJson) = Weights(request, factorNames.Count);
        var factors = factorNames.Select((f, p) => new SessionFactor { Index = p, Name = f, Weight = weights[p] }).ToList();

        var strengths = request.Strengths is null
            ? Enumerable.Range(0, parties.Count).Select(_ => Enumerable.Repeat(1.0, factors.Count).ToArray()).ToArray()
            : ValidateStrengths(request.Strengths, parties.Count, factors.Count, "strengths");

        var pool = Guard.Positive(RequestRules.Required(request.Pool, "pool"), "pool");
        var tangible = Guard.NonNegative(request.TangiblePool ?? 0, "tangiblePool");
        var deadline = RequestRules.Range(request.RoundDeadlineSeconds ?? DefaultDeadlineSeconds, "roundDeadlineSeconds", SessionRules.MinDeadlineSeconds, SessionRules.MaxDeadlineSeconds);
        var autoLambda = ConcessionRule.ValidateLambda(request.AutoConcessionLambda ?? ConcessionRule.DefaultLambda, "autoConcessionLambda");
        var revisionLambda = ConcessionRule.ValidateLambda(request.RevisionLambda ?? ConcessionRule.DefaultLambda, "revisionLambda");

        var setup = new SessionDefinition(name, description, parties, factors, strengths, pool, tangible,
            request.BidMode ?? BidMode.Sealed, deadline, autoLambda, revisionLambda, matrixJson);
        setup.Problem(); // Σd < K, ρ·K ≤ 700 …: the whole problem must be solvable
        return setup;
    }

    /// <summary>The bargaining problem these settings define, with powers from the strengths.</summary>
    public NashBargainingProblem Problem() => PeriodProblem.Build(Parties, Factors, Strengths, Pool);

    /// <summary>Validates a strengths table of the session's shape.</summary>
    public static double[][] ValidateStrengths(IReadOnlyList<IReadOnlyList<double>> strengths, int parties, int factors, string field)
    {
        var rows = Guard.Length(strengths, field, parties, "party");
        return rows.Select((row, i) => Guard.AllPositive(Guard.Length(row, $"{field}[{i}]", factors, "factor"), $"{field}[{i}]")).ToArray();
    }

    private static List<SessionParty> ValidateParties(SessionSetupRequest request, bool template)
    {
        if (request.Parties is null)
        {
            if (!template)
            {
                throw new ModelValidationException("parties", "give 2..16 parties, or use the \"3+1\" template");
            }

            return SessionTemplate.Parties.Select((p, i) => new SessionParty { Index = i, Name = p.Name, Category = p.Category, UtilityKind = UtilityKind.Linear }).ToList();
        }

        var list = Guard.Count(request.Parties, "parties", ModelLimits.MinParties, ModelLimits.MaxParties);
        var result = new List<SessionParty>();
        for (var i = 0; i < list.Length; i++)
        {
            var p = list[i] ?? throw new ModelValidationException($"parties[{i}]", "is required");
            var field = $"parties[{i}]";
            var utility = p.Utility?.ToUtility($"{field}.utility") ?? Utility.Linear;
            result.Add(new SessionParty
            {
                Index = i,
                Name = RequestRules.Text(p.Name, $"{field}.name"),
                Category = p.Category ?? (template && i < SessionTemplate.Parties.Count ? SessionTemplate.Parties[i].Category : PartyCategory.Other),
                UtilityKind = utility.Kind,
                UtilityParameter = utility.Parameter,
                Disagreement = Guard.NonNegative(p.Disagreement ?? 0, $"{field}.disagreement"),
            });
        }

        if (result.Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != result.Count)
        {
            throw new ModelValidationException("parties", "party names must be distinct");
        }

        return result;
    }

    private static List<string> FactorNames(SessionSetupRequest request, bool template)
    {
        if (request.Factors is null)
        {
            return [.. SessionTemplate.Factors];
        }

        var list = Guard.Count(request.Factors, "factors", 1, ModelLimits.MaxFactors);
        return list.Select((f, p) => RequestRules.Text(f?.Name, $"factors[{p}].name")).ToList();
    }

    private static (double[] Weights, string? MatrixJson) Weights(SessionSetupRequest request, int count)
    {
        var given = request.Factors?.Select(f => f?.Weight).ToArray();
        var anyWeight = given?.Any(w => w is not null) == true;
        if (request.FactorMatrix is not null)
        {
            if (anyWeight)
            {
                throw new ModelValidationException("factorMatrix", "give either factor weights or an AHP factor matrix, not both");
            }

            var weights = FactorWeights.FromMatrix(request.FactorMatrix, count);
            return (weights, JsonSerializer.Serialize(request.FactorMatrix));
        }

        if (!anyWeight)
        {
            return (Enumerable.Repeat(1.0 / count, count).ToArray(), null);
        }

        for (var p = 0; p < given!.Length; p++)
        {
            if (given[p] is null)
            {
                throw new ModelValidationException($"factors[{p}].weight", "is required when any factor has a weight");
            }
        }

        var values = given.Select(w => w!.Value).ToArray();
        for (var p = 0; p < values.Length; p++)
        {
            Guard.Positive(values[p], $"factors[{p}].weight");
        }

        Guard.SumsToOne(values, "factors.weight");
        return (values, null);
    }
}

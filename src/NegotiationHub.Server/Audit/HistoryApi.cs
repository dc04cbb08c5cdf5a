using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Bargaining.Power;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Server.Accounts;
using NegotiationHub.Server.Infrastructure;
using NegotiationHub.Server.Live;

namespace NegotiationHub.Server.Audit;

/// <summary>One contract period's strengths and the bargaining powers they give.</summary>
public sealed record PeriodView(int Period, IReadOnlyList<IReadOnlyList<double>> Strengths, IReadOnlyList<double> Powers);

/// <summary>A round with its bids and the analysis that was broadcast when it closed.</summary>
public sealed record RoundHistory(ExportedRound Round, IReadOnlyList<ExportedBid> Bids, JsonElement? Analysis);

/// <summary>The replayable history of a session.</summary>
public sealed record SessionHistory(
    ExportedSession Session,
    IReadOnlyList<ExportedParty> Parties,
    IReadOnlyList<ExportedFactor> Factors,
    IReadOnlyList<PeriodView> Periods,
    IReadOnlyList<RoundHistory> Rounds,
    ExportedContract? Contract,
    IReadOnlyList<ExportedRevision> Revisions,
    int AuditEntries,
    string? LastHash);

/// <summary>A contract in an auditor's listing.</summary>
public sealed record ContractSummary(Guid ContractId, Guid SessionId, string SessionName, int CurrentRevision, DateTime CreatedUtc);

/// <summary>Auditor reads: history, export (JSON/CSV), contracts. Read-only; auditors, admins and the session's coordinators.</summary>
public static class HistoryApi
{
    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder routes)
    {
        var sessions = routes.MapGroup("/api/sessions").WithTags("Audit").RequireAuthorization();
        sessions.MapGet("/{id:guid}/history", HistoryAsync);
        sessions.MapGet("/{id:guid}/export", ExportAsync);
        routes.MapGet("/api/contracts", ContractsAsync).WithTags("Audit").RequireAuthorization(Roles.CanAudit);
        return routes;
    }

    private static async Task<IResult> HistoryAsync(Guid id, ClaimsPrincipal user, NegotiationDbContext db, CancellationToken cancellationToken)
    {
        if (await AuthorizeAsync(user, id, db, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var export = (await HistoryExport.LoadAsync(db, id, cancellationToken))!;
        var weights = export.Factors.Select(f => f.Weight).ToArray();
        var periods = export.Strengths.GroupBy(r => r.Period).OrderBy(g => g.Key).Select(g =>
        {
            var table = Enumerable.Range(0, export.Parties.Count).Select(i => export.Factors.Select(f => g.First(r => r.PartyIndex == i && r.FactorIndex == f.Index).Value).ToArray()).ToArray();
            return new PeriodView(g.Key, table, BargainingPower.Powers(new BargainingPowerInput(table, weights)));
        }).ToList();
        // Sealed means sealed (issue 20, item 5): nobody — coordinator, auditor or admin — reads an
        // open sealed round's demands before it closes.
        var rounds = export.Rounds.Select(r => new RoundHistory(
            r,
            IsSealedAndOpen(export.Session, r) ? [] : export.Bids.Where(b => b.Round == r.Number).ToList(),
            r.AnalysisJson is null ? null : JsonDocument.Parse(r.AnalysisJson).RootElement.Clone())).ToList();
        return TypedResults.Ok(new SessionHistory(export.Session, export.Parties, export.Factors, periods, rounds, export.Contract, export.Revisions,
            export.AuditEntries.Count, export.AuditEntries.Count == 0 ? null : export.AuditEntries[^1].Hash));
    }

    private static async Task<IResult> ExportAsync(Guid id, string? format, ClaimsPrincipal user, HttpContext context, NegotiationDbContext db, CancellationToken cancellationToken)
    {
        var kind = (format ?? "json").Trim().ToLowerInvariant();
        if (kind is not ("json" or "csv"))
        {
            return ValidationProblems.Field("format", "must be json or csv");
        }

        if (await AuthorizeAsync(user, id, db, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var export = (await HistoryExport.LoadAsync(db, id, cancellationToken))!;
        if (export.Rounds.Any(r => IsSealedAndOpen(export.Session, r)))
        {
            // The export is the whole chain, which records every demand: it waits for the round to close.
            return TypedResults.Problem(
                title: "A sealed round is open.",
                detail: $"Round {export.Rounds.First(r => IsSealedAndOpen(export.Session, r)).Number} is open and its demands are sealed until it closes; export the history after that.",
                statusCode: StatusCodes.Status409Conflict);
        }

        var name = $"session-{id:N}-history.{kind}";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        if (kind == "json")
        {
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, export, SessionHistoryJson, cancellationToken);
            return Results.Empty;
        }

        // CSV: the audit chain, one state change per row; it carries every record of the history. For
        // a spreadsheet (issue 17): a BOM so Excel reads UTF-8, Chinese as itself rather than \uXXXX,
        // the round, party and demand a row is about in columns of their own, and no cell a
        // spreadsheet would run as a formula.
        context.Response.ContentType = "text/csv; charset=utf-8";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(true), leaveOpen: true);
        await writer.WriteLineAsync("sequence,time_utc,actor,type,round,party,demand,payload_json,previous_hash,hash");
        foreach (var e in export.AuditEntries)
        {
            var payload = System.Text.Json.Nodes.JsonNode.Parse(e.PayloadJson) as System.Text.Json.Nodes.JsonObject;
            payload?.Remove(AuditRows.PayloadProperty); // the row records are for the verifier; the JSON export has them
            await writer.WriteLineAsync(string.Join(',',
                e.Sequence.ToString(CultureInfo.InvariantCulture),
                e.TimeUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                Csv(e.Actor), Csv(e.Type),
                Number(payload?["round"]), Number(payload?["partyIndex"]), Number(payload?["demand"]),
                Csv(payload?.ToJsonString(ReadableJson) ?? e.PayloadJson), e.PreviousHash, e.Hash));
        }

        await writer.FlushAsync(cancellationToken);
        return Results.Empty;
    }

    private static bool IsSealedAndOpen(ExportedSession session, ExportedRound round) =>
        session.BidMode == BidMode.Sealed && round.State == RoundState.Open;

    private static async Task<IResult> ContractsAsync(NegotiationDbContext db, CancellationToken cancellationToken) =>
        // Ordered before the projection: EF Core cannot translate an order by a member of a record it constructs.
        TypedResults.Ok(await db.Contracts.AsNoTracking()
            .Join(db.Sessions, c => c.SessionId, s => s.Id, (c, s) => new { c.Id, SessionId = s.Id, s.Name, c.CurrentRevision, c.CreatedUtc })
            .OrderByDescending(x => x.CreatedUtc).ThenBy(x => x.Id)
            .Select(x => new ContractSummary(x.Id, x.SessionId, x.Name, x.CurrentRevision, x.CreatedUtc))
            .ToListAsync(cancellationToken));

    /// <summary>Auditors and admins read every history; a session's coordinators read theirs; members and others get 403/404.</summary>
    private static async Task<IResult?> AuthorizeAsync(ClaimsPrincipal user, Guid id, NegotiationDbContext db, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        if (caller is null)
        {
            return TypedResults.Unauthorized();
        }

        var session = await db.Sessions.AsNoTracking().Include(s => s.Members).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (session is null || !SessionAccess.CanRead(caller, session))
        {
            return SessionException.NotFound(id).ToProblem();
        }

        if (caller.CanAudit)
        {
            return null;
        }

        try
        {
            SessionAccess.RequireCoordinator(caller, session);
            return null;
        }
        catch (SessionException)
        {
            return SessionException.Forbidden("Only auditors and the session's coordinators read its full history.").ToProblem();
        }
    }

    private static string Csv(string value) =>
        "\"" + (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' ? "'" + value : value).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Number(System.Text.Json.Nodes.JsonNode? node) =>
        node is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<double>(out var number) ? number.ToString("R", CultureInfo.InvariantCulture) : "";

    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The export's JSON: camelCase, enums as names, the same as the API.</summary>
    public static readonly JsonSerializerOptions SessionHistoryJson = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonSetup.Configure(options);
        return options;
    }
}

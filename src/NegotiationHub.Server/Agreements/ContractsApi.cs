using System.Security.Claims;
using NegotiationHub.Server.Sessions;

namespace NegotiationHub.Server.Agreements;

/// <summary>
/// <c>/api/sessions/{id}/contract…</c>: read a session's contract (anyone who can read the
/// session); revise it or set its tangible shares (the session's coordinators).
/// </summary>
public static class ContractsApi
{
    public static IHostApplicationBuilder AddNegotiationHubAgreements(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<ContractService>();
        return builder;
    }

    public static RouteGroupBuilder MapContracts(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/sessions/{id:guid}/contract").WithTags("Contracts").RequireAuthorization();

        group.MapGet("/", (Guid id, ClaimsPrincipal user, ContractService contracts, CancellationToken ct) =>
            SessionsApi.Run(user, caller => contracts.GetAsync(caller, id, ct)))
            .WithSummary("The contract in force: shares, allocation, tangible shares and payouts, and every revision.")
            .Produces<ContractDetails>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/revisions", (Guid id, HttpContext context, ContractService contracts) =>
            SessionsApi.Body<ContractRevisionRequest>(context, async (caller, r) => TypedResults.Ok(await contracts.ReviseAsync(caller, id, r, context.RequestAborted))))
            .WithSummary("MODEL §5: revise the shares toward the optimum under a period's strengths — s + λ(s* − s), or a proposed s' between s and s*. expectedRevision is required; a stale one is a 409.")
            .Accepts<ContractRevisionRequest>("application/json").Produces<ContractDetails>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/tangible", (Guid id, HttpContext context, ContractService contracts) =>
            SessionsApi.Body<TangibleSharesRequest>(context, async (caller, r) => TypedResults.Ok(await contracts.SetTangibleSharesAsync(caller, id, r, context.RequestAborted))))
            .WithSummary("MODEL §6–7: cost-based (experts by GEM), risk-based (template indicators by AHP) and effort-game shares combined with λ; stored as a revision with payouts of the tangible pool.")
            .Accepts<TangibleSharesRequest>("application/json").Produces<TangibleSharesResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }
}

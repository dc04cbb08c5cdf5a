using System.Security.Claims;
using NegotiationHub.Server.Infrastructure;
using NegotiationHub.Server.Live;

namespace NegotiationHub.Server.Sessions;

/// <summary><c>/api/sessions…</c>: set-up and listing. Coordinator-only writes; members read their own sessions.</summary>
public static class SessionsApi
{
    public static IHostApplicationBuilder AddNegotiationHubSessions(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<SessionService>();
        builder.Services.AddScoped<Accounts.InvitationService>();
        return builder;
    }

    public static RouteGroupBuilder MapSessions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/sessions").WithTags("Sessions").RequireAuthorization();

        group.MapGet("/", (ClaimsPrincipal user, SessionService sessions, int? page, int? pageSize, CancellationToken ct) =>
            Run(user, caller => sessions.ListAsync(caller, page, pageSize, ct)));
        group.MapGet("/{id:guid}", (Guid id, ClaimsPrincipal user, SessionService sessions, CancellationToken ct) =>
            Run(user, caller => sessions.GetAsync(caller, id, ct)));
        group.MapPost("/", (HttpContext context, SessionService sessions) =>
            Body<SessionSetupRequest>(context, async (caller, r) =>
            {
                var detail = await sessions.CreateAsync(caller, r, context.RequestAborted);
                return TypedResults.Created($"/api/sessions/{detail.Id}", detail);
            }))
            .Accepts<SessionSetupRequest>("application/json").Produces<SessionDetail>(201).ProducesValidationProblem();
        group.MapPut("/{id:guid}/configuration", (Guid id, HttpContext context, SessionService sessions) =>
            Body<SessionSetupRequest>(context, async (caller, r) => TypedResults.Ok(await sessions.ConfigureAsync(caller, id, r, context.RequestAborted))))
            .Accepts<SessionSetupRequest>("application/json").Produces<SessionDetail>().ProducesValidationProblem();
        group.MapPost("/{id:guid}/strengths", (Guid id, HttpContext context, SessionService sessions) =>
            Body<StrengthsRequest>(context, async (caller, r) => TypedResults.Ok(await sessions.RecordStrengthsAsync(caller, id, r, context.RequestAborted))))
            .Accepts<StrengthsRequest>("application/json").Produces<SessionDetail>().ProducesValidationProblem();
        group.MapPost("/{id:guid}/members", (Guid id, HttpContext context, SessionService sessions) =>
            Body<MemberRequest>(context, async (caller, r) => TypedResults.Ok(await sessions.AddMemberAsync(caller, id, r, context.RequestAborted))))
            .Accepts<MemberRequest>("application/json").Produces<MemberView>().ProducesValidationProblem();
        group.MapPost("/{id:guid}/open", (Guid id, ClaimsPrincipal user, SessionService sessions, CancellationToken ct) =>
            Run(user, caller => sessions.OpenAsync(caller, id, ct)));
        group.MapPost("/{id:guid}/close", (Guid id, ClaimsPrincipal user, SessionService sessions, CancellationToken ct) =>
            Run(user, caller => sessions.CloseAsync(caller, id, ct)));
        return group;
    }

    /// <summary>Runs a read or body-less command for the signed-in caller, mapping refusals to problems.</summary>
    public static async Task<IResult> Run<T>(ClaimsPrincipal user, Func<Caller, Task<T>> action)
    {
        var caller = Caller.From(user);
        if (caller is null)
        {
            return TypedResults.Unauthorized();
        }

        return await AsProblems(async () => TypedResults.Ok(await action(caller)));
    }

    /// <summary>What a caller is told when another change of the session committed first (nothing of theirs was written).</summary>
    public const string ConcurrentChange = "The session changed at the same moment; load it again and retry.";

    /// <summary>Reads a JSON body and runs a command for the signed-in caller.</summary>
    public static Task<IResult> Body<TRequest>(HttpContext context, Func<Caller, TRequest, Task<IResult>> action)
        where TRequest : class
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = Caller.From(context.User);
        if (caller is null)
        {
            return Task.FromResult<IResult>(TypedResults.Unauthorized());
        }

        return JsonBody.HandleAsync<TRequest>(context, request => AsProblems(() => action(caller, request)));
    }

    /// <summary>Runs a command, turning its refusals into problem responses (nothing was written).</summary>
    private static async Task<IResult> AsProblems(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (SessionException exception)
        {
            return exception.ToProblem();
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException)
        {
            return SessionException.Conflict(ConcurrentChange).ToProblem();
        }
    }
}

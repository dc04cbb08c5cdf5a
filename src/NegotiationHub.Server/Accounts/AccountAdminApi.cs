using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data.Entities;
using NegotiationHub.Server.Infrastructure;
using NegotiationHub.Server.Live;
using NegotiationHub.Server.Sessions;

namespace NegotiationHub.Server.Accounts;

public sealed record RolesRequest(IReadOnlyList<string>? Roles);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>
/// Accounts a coordination body runs from the browser (issue 21): admins list, disable, re-enable
/// and re-role users and hand out reset links; admins and coordinators hand out invitations (one
/// at a time or from a CSV); anyone changes their own password and signs out their other devices;
/// the holder of a link chooses their password. Every change is in the global audit chain.
/// </summary>
public static class AccountAdminApi
{
    public static IEndpointRouteBuilder MapAccountAdmin(this IEndpointRouteBuilder routes)
    {
        var users = routes.MapGroup("/api/users").WithTags("Users").RequireAuthorization(p => p.RequireRole(Roles.Admin));
        users.MapPost("/{id}/disable", (string id, HttpContext context) => SetDisabledAsync(context, id, true));
        users.MapPost("/{id}/enable", (string id, HttpContext context) => SetDisabledAsync(context, id, false));
        users.MapPut("/{id}/roles", (string id, HttpContext context) => SessionsApi.Body<RolesRequest>(context, (caller, r) => SetRolesAsync(context, caller, id, r)))
            .Accepts<RolesRequest>("application/json");
        users.MapPost("/{id}/password-reset", (string id, HttpContext context, InvitationService invitations) =>
            Caller(context, caller => invitations.CreateResetAsync(caller, id, PublicBase(context), context.RequestAborted)));

        var invitations = routes.MapGroup("/api/invitations").WithTags("Invitations");
        invitations.MapPost("/", (HttpContext context, InvitationService service) =>
                SessionsApi.Body<InvitationRequest>(context, async (caller, r) => TypedResults.Ok(await service.CreateAsync(caller, r, PublicBase(context), context.RequestAborted))))
            .Accepts<InvitationRequest>("application/json").RequireAuthorization(Roles.CanCoordinate);
        invitations.MapGet("/", (HttpContext context, InvitationService service, Guid? sessionId, int? page, int? pageSize) =>
            Caller(context, caller => service.ListAsync(caller, sessionId, page, pageSize, context.RequestAborted))).RequireAuthorization(Roles.CanCoordinate);
        invitations.MapPost("/{id:guid}/revoke", (Guid id, HttpContext context, InvitationService service) =>
            Caller(context, caller => service.RevokeAsync(caller, id, context.RequestAborted))).RequireAuthorization(Roles.CanCoordinate);
        invitations.MapGet("/token/{token}", (string token, HttpContext context, InvitationService service) => Anonymous(() => service.PreviewAsync(token, context.RequestAborted)))
            .RequireRateLimiting(AccountsApi.AccountRateLimit);
        invitations.MapPost("/accept", (HttpContext context, InvitationService service) =>
                JsonBody.HandleAsync<AcceptInvitationRequest>(context, r => AcceptAsync(context, service, r)))
            .Accepts<AcceptInvitationRequest>("application/json").RequireRateLimiting(AccountsApi.AccountRateLimit);
        routes.MapPost("/api/sessions/{id:guid}/invitations/import", (Guid id, HttpContext context, InvitationService service) =>
                SessionsApi.Body<InvitationImportRequest>(context, async (caller, r) => TypedResults.Ok(await service.ImportAsync(caller, id, r, PublicBase(context), context.RequestAborted))))
            .Accepts<InvitationImportRequest>("application/json").WithTags("Invitations").RequireAuthorization(Roles.CanCoordinate);

        var account = routes.MapGroup("/api/account").WithTags("Account").RequireAuthorization();
        account.MapPost("/password", (Delegate)((HttpContext context) => JsonBody.HandleAsync<ChangePasswordRequest>(context, r => ChangePasswordAsync(context, r))))
            .Accepts<ChangePasswordRequest>("application/json");
        account.MapPost("/sign-out-elsewhere", SignOutElsewhereAsync);
        return routes;
    }

    /// <summary>The public address links start with (the forwarded host and scheme behind a listed proxy).</summary>
    private static Uri PublicBase(HttpContext context) => new($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/");

    private static async Task<IResult> Caller<T>(HttpContext context, Func<Caller, Task<T>> action)
    {
        var caller = Live.Caller.From(context.User);
        if (caller is null)
        {
            return TypedResults.Unauthorized();
        }

        try
        {
            return TypedResults.Ok(await action(caller));
        }
        catch (SessionException exception)
        {
            return exception.ToProblem();
        }
    }

    private static async Task<IResult> Anonymous<T>(Func<Task<T>> action)
    {
        try
        {
            return TypedResults.Ok(await action());
        }
        catch (InvitationGoneException exception)
        {
            return Gone(exception);
        }
    }

    private static IResult Gone(InvitationGoneException exception) => TypedResults.Problem(
        title: "This link cannot be used.", detail: exception.Message, statusCode: exception.Status,
        extensions: new Dictionary<string, object?> { ["code"] = exception.Code });

    private static async Task<IResult> AcceptAsync(HttpContext context, InvitationService service, AcceptInvitationRequest request)
    {
        try
        {
            var (user, sessionId) = await service.AcceptAsync(request, context.RequestAborted);
            await TwoFactor.SignInAgainAsync(context, user, "pwd");
            var users = context.RequestServices.GetRequiredService<UserManager<AppUser>>();
            return TypedResults.Ok(new AcceptedInvitation(await AccountsApi.ViewAsync(users, user), sessionId));
        }
        catch (InvitationGoneException exception)
        {
            return Gone(exception);
        }
        catch (SessionException exception)
        {
            return exception.ToProblem();
        }
    }

    private static async Task<IResult> SetDisabledAsync(HttpContext context, string id, bool disabled)
    {
        var services = context.RequestServices;
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var caller = Live.Caller.From(context.User)!;
        if (await users.FindByIdAsync(id) is not { } user)
        {
            return TypedResults.Problem(title: "Not found.", detail: $"No user has the id {id}.", statusCode: StatusCodes.Status404NotFound);
        }

        if (disabled && user.Id == caller.UserId)
        {
            return TypedResults.Problem(title: "Refused.", detail: "You cannot disable your own account.", statusCode: StatusCodes.Status409Conflict);
        }

        if (disabled && await IsLastAdminAsync(users, user))
        {
            return TypedResults.Problem(title: "Refused.", detail: "This is the last enabled administrator; make another one first.", statusCode: StatusCodes.Status409Conflict);
        }

        if (user.Disabled != disabled)
        {
            user.Disabled = disabled;
            // A new stamp: every cookie of the user stops working on its next request (checked on every one).
            await users.UpdateSecurityStampAsync(user);
            await AuditLog.AppendGlobalAsync(services.GetRequiredService<IDbContextFactory<NegotiationDbContext>>(), caller.UserName,
                disabled ? AuditEvents.UserDisabled : AuditEvents.UserEnabled, new { userId = user.Id, userName = user.UserName }, services.GetRequiredService<TimeProvider>(), context.RequestAborted);
        }

        return TypedResults.Ok(await AccountsApi.ViewAsync(users, user));
    }

    private static async Task<bool> IsLastAdminAsync(UserManager<AppUser> users, AppUser user) =>
        await users.IsInRoleAsync(user, Roles.Admin) && (await users.GetUsersInRoleAsync(Roles.Admin)).Count(u => !u.Disabled) <= 1;

    private static async Task<IResult> SetRolesAsync(HttpContext context, Caller caller, string id, RolesRequest request)
    {
        var services = context.RequestServices;
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var wanted = (request.Roles ?? throw new ModelValidationException("roles", "is required")).Select(r => r?.Trim() ?? "").ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            throw new ModelValidationException("roles", "needs at least one role");
        }

        if (wanted.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown)
        {
            throw new ModelValidationException("roles", $"'{unknown}' is not a role; the roles are {string.Join(", ", Roles.All)}");
        }

        if (wanted.Contains(Roles.Auditor) && wanted.Contains(Roles.Member))
        {
            throw new ModelValidationException("roles", "an auditor never bids: Auditor and Member cannot go together");
        }

        if (await users.FindByIdAsync(id) is not { } user)
        {
            return TypedResults.Problem(title: "Not found.", detail: $"No user has the id {id}.", statusCode: StatusCodes.Status404NotFound);
        }

        var current = (await users.GetRolesAsync(user)).ToHashSet(StringComparer.Ordinal);
        await using var db = await services.GetRequiredService<IDbContextFactory<NegotiationDbContext>>().CreateDbContextAsync(context.RequestAborted);
        if (wanted.Contains(Roles.Auditor) && !current.Contains(Roles.Auditor)
            && await db.Memberships.AnyAsync(m => m.UserId == user.Id && m.Role == SessionRole.Member, context.RequestAborted))
        {
            throw new ModelValidationException("roles", $"'{user.UserName}' bids for a party in a session, and an auditor never bids");
        }

        if (current.Contains(Roles.Admin) && !wanted.Contains(Roles.Admin) && await IsLastAdminAsync(users, user))
        {
            return TypedResults.Problem(title: "Refused.", detail: "This is the last enabled administrator; make another one first.", statusCode: StatusCodes.Status409Conflict);
        }

        var factory = services.GetRequiredService<IDbContextFactory<NegotiationDbContext>>();
        var time = services.GetRequiredService<TimeProvider>();
        foreach (var role in wanted.Except(current).Order(StringComparer.Ordinal))
        {
            await RoleGrants.GrantAsync(factory, time, caller.UserName, AuditEvents.RoleGranted, user, role, context.RequestAborted);
        }

        foreach (var role in current.Except(wanted).Order(StringComparer.Ordinal))
        {
            await RoleGrants.RevokeAsync(factory, time, caller.UserName, user, role, context.RequestAborted);
        }

        return TypedResults.Ok(await AccountsApi.ViewAsync(users, user));
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext context, ChangePasswordRequest request)
    {
        var current = RequestRules.Text(request.CurrentPassword, "currentPassword", 256);
        var next = RequestRules.Text(request.NewPassword, "newPassword", 256);
        var services = context.RequestServices;
        var users = services.GetRequiredService<UserManager<AppUser>>();
        if (await users.GetUserAsync(context.User) is not { } user)
        {
            return TypedResults.Unauthorized();
        }

        var result = await users.ChangePasswordAsync(user, current, next);
        if (!result.Succeeded)
        {
            return ValidationProblems.From(result.Errors.Select(e => new FieldError(e.Code == "PasswordMismatch" ? "currentPassword" : "newPassword",
                e.Code == "PasswordMismatch" ? "is not your current password" : e.Description) { Code = PasswordPolicy.CodeOf(e) }));
        }

        // The new stamp signs out every other device; this one gets a fresh cookie.
        await TwoFactor.SignInAgainAsync(context, user, context.User.FindFirstValue(TwoFactor.MethodClaim) ?? "pwd");
        await AuditLog.AppendGlobalAsync(services.GetRequiredService<IDbContextFactory<NegotiationDbContext>>(), user.UserName!, AuditEvents.PasswordChanged,
            new { userId = user.Id }, services.GetRequiredService<TimeProvider>(), context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> SignOutElsewhereAsync(HttpContext context, UserManager<AppUser> users)
    {
        if (await users.GetUserAsync(context.User) is not { } user)
        {
            return TypedResults.Unauthorized();
        }

        await users.UpdateSecurityStampAsync(user);
        await TwoFactor.SignInAgainAsync(context, user, context.User.FindFirstValue(TwoFactor.MethodClaim) ?? "pwd");
        return TypedResults.NoContent();
    }
}

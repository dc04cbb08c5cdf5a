using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Data.Entities;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Server.Infrastructure;

namespace NegotiationHub.Server.Accounts;

/// <summary>A sign-in; <paramref name="Code"/> is the authenticator code of a user with two-factor sign-in on.</summary>
public sealed record LoginRequest(string? UserName, string? Password, string? Code = null);

public sealed record LanguageRequest(string? Language);

public sealed record CreateUserRequest(string? UserName, string? Password, string? DisplayName, string? Role);

/// <summary>Who is signed in.</summary>
public sealed record UserView(string Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, string Language, bool Disabled = false, bool TwoFactorEnabled = false);

/// <summary>Sign-in, sign-out, the current user and (for admins) user management.</summary>
public static class AccountsApi
{
    /// <summary>UI languages the client ships.</summary>
    public static readonly IReadOnlyList<string> Languages = ["zh-CN", "en"];

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder routes)
    {
        var account = routes.MapGroup("/api/account").WithTags("Account");
        account.MapPost("/login", (Delegate)((HttpContext context) => JsonBody.HandleAsync<LoginRequest>(context, r => LoginAsync(context, r))))
            .Accepts<LoginRequest>("application/json").Produces<UserView>().ProducesValidationProblem().ProducesProblem(401).ProducesProblem(429)
            .RequireRateLimiting(AccountRateLimit);
        account.MapPost("/logout", async (ClaimsPrincipal principal, SignInManager<AppUser> signIn) =>
        {
            // A new security stamp invalidates this cookie everywhere it was copied, not only here.
            if (await signIn.UserManager.GetUserAsync(principal) is { } user)
            {
                await signIn.UserManager.UpdateSecurityStampAsync(user);
            }

            await signIn.SignOutAsync();
            return TypedResults.NoContent();
        });
        account.MapGet("/me", async (ClaimsPrincipal principal, UserManager<AppUser> users) =>
            await users.GetUserAsync(principal) is { } user ? Results.Ok(await ViewAsync(users, user)) : Results.Unauthorized())
            .RequireAuthorization();
        account.MapTwoFactor();
        account.MapPut("/language", (Delegate)((HttpContext context) => JsonBody.HandleAsync<LanguageRequest>(context, r => SetLanguageAsync(context, r))))
            .Accepts<LanguageRequest>("application/json").RequireAuthorization();

        var users = routes.MapGroup("/api/users").WithTags("Users").RequireAuthorization();
        users.MapPost("/", (Delegate)((HttpContext context) => JsonBody.HandleAsync<CreateUserRequest>(context, r => CreateUserAsync(context, r))))
            .Accepts<CreateUserRequest>("application/json").RequireAuthorization(p => p.RequireRole(Roles.Admin));
        users.MapGet("/", ListUsersAsync).RequireAuthorization(Roles.CanCoordinate);
        return routes;
    }

    /// <summary>The one answer to every failed sign-in, whatever the reason.</summary>
    private static ProblemHttpResult SignInFailed() => TypedResults.Problem(
        title: "Sign-in failed.",
        detail: $"The user name or password is wrong, or the account is locked for {LockoutMinutes} minutes after {MaxFailedSignIns} failed tries.",
        statusCode: StatusCodes.Status401Unauthorized);

    /// <summary>Failed sign-ins that lock an account (Identity's lockout).</summary>
    public const int MaxFailedSignIns = 5;

    /// <summary>How long a lockout lasts.</summary>
    public const int LockoutMinutes = 15;

    private static readonly AppUser DummyUser = new() { UserName = "dummy" };
    private static string? _dummyHash;

    private static void VerifyDummyHash(UserManager<AppUser> users, string password)
    {
        var hash = _dummyHash ??= users.PasswordHasher.HashPassword(DummyUser, Guid.NewGuid().ToString("N"));
        users.PasswordHasher.VerifyHashedPassword(DummyUser, hash, password);
    }

    /// <summary>The rate-limit policy on sign-in (slows password guessing beyond lockout).</summary>
    public const string AccountRateLimit = "account";

    private static async Task<IResult> LoginAsync(HttpContext context, LoginRequest request)
    {
        var userName = RequestRules.Text(request.UserName, "userName", 256);
        var password = RequestRules.Text(request.Password, "password", 256);
        var signIn = context.RequestServices.GetRequiredService<SignInManager<AppUser>>();
        var users = signIn.UserManager;
        var throttle = context.RequestServices.GetRequiredService<SignInThrottle>();
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.RetryAfter(address) is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                title: "Too many failed sign-ins.",
                detail: $"Too many failed sign-ins from this address; try again in {(int)Math.Ceiling(wait.TotalMinutes)} minutes.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        // Uniform sign-in (issue 20, item 6): an unknown user, a wrong password and a locked account
        // get the same answer after the same work — one password hash verified — so neither the
        // answer nor its time tells whether a user name exists.
        var user = await users.FindByNameAsync(userName);
        if (user is null || user.Disabled || await users.IsLockedOutAsync(user))
        {
            VerifyDummyHash(users, password);
            throttle.Failed(address);
            return SignInFailed();
        }

        var checkedPassword = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (!checkedPassword.Succeeded)
        {
            throttle.Failed(address);
            return SignInFailed();
        }

        // Two-factor sign-in (issue 20, item 8): a user with an authenticator also gives its code. A
        // wrong code counts towards the lockout like a wrong password.
        var method = "pwd";
        if (user.TwoFactorEnabled)
        {
            var code = RequestRules.OptionalText(request.Code, "code", 16);
            if (code is null)
            {
                return TypedResults.Problem(
                    title: "Authenticator code required.",
                    detail: "Enter the 6-digit code your authenticator app shows for NegotiationHub.",
                    statusCode: StatusCodes.Status401Unauthorized,
                    extensions: new Dictionary<string, object?> { ["code"] = "two_factor_code_required", ["twoFactorRequired"] = true });
            }

            if (!await TwoFactor.VerifyAsync(users, user, code))
            {
                await users.AccessFailedAsync(user);
                throttle.Failed(address);
                return SignInFailed();
            }

            await users.ResetAccessFailedCountAsync(user);
            method = TwoFactor.WithCode;
        }

        // A session cookie by default (gone when the browser closes); the ticket inside still expires
        // after Auth:CookieLifetimeMinutes of disuse. Auth:PersistentCookie=true keeps it across restarts.
        await TwoFactor.SignInAgainAsync(context, user, method);

        var view = await ViewAsync(users, user);
        if (view.Roles.Contains(Roles.Auditor))
        {
            await AuditLog.AppendGlobalAsync(context.RequestServices.GetRequiredService<IDbContextFactory<NegotiationDbContext>>(),
                user.UserName!, AuditEvents.AuditorSignedIn, new { userId = user.Id, remoteAddress = context.Connection.RemoteIpAddress?.ToString() },
                context.RequestServices.GetRequiredService<TimeProvider>(), context.RequestAborted);
        }

        return TypedResults.Ok(view);
    }

    private static async Task<IResult> SetLanguageAsync(HttpContext context, LanguageRequest request)
    {
        var language = RequestRules.Text(request.Language, "language", 8);
        if (!Languages.Contains(language))
        {
            throw new ModelValidationException("language", $"must be one of {string.Join(", ", Languages)}");
        }

        var users = context.RequestServices.GetRequiredService<UserManager<AppUser>>();
        var user = await users.GetUserAsync(context.User);
        if (user is null)
        {
            return Results.Unauthorized();
        }

        user.PreferredLanguage = language;
        await users.UpdateAsync(user);
        return TypedResults.Ok(await ViewAsync(users, user));
    }

    private static async Task<IResult> CreateUserAsync(HttpContext context, CreateUserRequest request)
    {
        var userName = RequestRules.Text(request.UserName, "userName", 64);
        var password = RequestRules.Text(request.Password, "password", 256);
        var displayName = RequestRules.OptionalText(request.DisplayName, "displayName", 200) ?? userName;
        var role = RequestRules.Text(request.Role, "role", 32);
        if (!Roles.All.Contains(role))
        {
            throw new ModelValidationException("role", $"must be one of {string.Join(", ", Roles.All)}");
        }

        var users = context.RequestServices.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = userName, DisplayName = displayName };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return ValidationProblems.From(created.Errors.Select(e => new FieldError(
                e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "userName", e.Description) { Code = PasswordPolicy.CodeOf(e) }));
        }

        await RoleGrants.GrantAsync(context.RequestServices.GetRequiredService<IDbContextFactory<NegotiationDbContext>>(),
            context.RequestServices.GetRequiredService<TimeProvider>(), context.User.Identity?.Name ?? "admin", AuditEvents.UserCreated, user, role, context.RequestAborted);
        return TypedResults.Created($"/api/users/{user.Id}", await ViewAsync(users, user));
    }

    private static async Task<IResult> ListUsersAsync(UserManager<AppUser> users, string? role, string? q, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var index = Paging.Page(page, size);
        IQueryable<AppUser> query = users.Users;
        if (!string.IsNullOrWhiteSpace(q))
        {
            // A user name (case-insensitive) or display name containing the text.
            var text = q.Trim()[..Math.Min(q.Trim().Length, 100)];
            var upper = text.ToUpperInvariant();
            query = query.Where(u => u.NormalizedUserName!.Contains(upper) || u.DisplayName.Contains(text));
        }

        if (!string.IsNullOrEmpty(role))
        {
            var inRole = (await users.GetUsersInRoleAsync(role)).Select(u => u.Id).ToHashSet();
            query = query.Where(u => inRole.Contains(u.Id));
        }

        var total = await query.CountAsync(cancellationToken);
        var pageUsers = await query.OrderBy(u => u.UserName).Skip((index - 1) * size).Take(size).ToListAsync(cancellationToken);
        var views = new List<UserView>();
        foreach (var user in pageUsers)
        {
            views.Add(await ViewAsync(users, user));
        }

        return TypedResults.Ok(new Page<UserView>(views, index, size, total));
    }

    internal static async Task<UserView> ViewAsync(UserManager<AppUser> users, AppUser user) =>
        new(user.Id, user.UserName ?? "", user.DisplayName, [.. await users.GetRolesAsync(user)], user.PreferredLanguage, user.Disabled, user.TwoFactorEnabled);
}

/// <summary>One page of a listing.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total);

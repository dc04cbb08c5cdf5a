using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data.Entities;
using NegotiationHub.Server.Infrastructure;

namespace NegotiationHub.Server.Accounts;

public sealed record TwoFactorCodeRequest(string? Code);

/// <summary>
/// A user's authenticator: whether it is on, whether their roles require it, and — while it is off —
/// the shared key to enter in an authenticator app and the <c>otpauth://</c> URI a QR code encodes.
/// </summary>
public sealed record TwoFactorView(bool Enabled, bool Required, bool SignedInWithCode, string? SharedKey, string? AuthenticatorUri);

/// <summary>
/// TOTP two-factor sign-in with Identity's authenticator (issue 20, item 8). <c>Auth:RequireTwoFactorFor</c>
/// lists the platform roles that must use it (e.g. <c>Admin,Coordinator</c>; none by default): a user
/// in one of them who signed in without a code may only enrol (<c>/api/account/2fa</c>), read who
/// they are and sign out until they do; every other request, the hub included, is refused with 403
/// and the error code <c>two_factor_required</c>.
/// </summary>
public static class TwoFactor
{
    /// <summary>The claim a sign-in adds: <c>mfa</c> when a code was given, <c>pwd</c> otherwise (RFC 8176).</summary>
    public const string MethodClaim = "amr";

    public const string WithCode = "mfa";

    public const string ErrorCode = "two_factor_required";

    private const string Issuer = "NegotiationHub";

    /// <summary>The roles that must sign in with a code, read once at start.</summary>
    public sealed record Requirement(IReadOnlySet<string> Roles)
    {
        public bool AppliesTo(ClaimsPrincipal user) => Roles.Any(user.IsInRole);

        public bool AppliesTo(IEnumerable<string> roles) => roles.Any(Roles.Contains);
    }

    public static IHostApplicationBuilder AddTwoFactor(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var roles = (builder.Configuration["Auth:RequireTwoFactorFor"] ?? "")
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = roles.Where(r => !Accounts.Roles.All.Contains(r)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Auth:RequireTwoFactorFor: {string.Join(", ", unknown)} is not a role; the roles are {string.Join(", ", Accounts.Roles.All)}.");
        }

        builder.Services.AddSingleton(new Requirement(roles.ToHashSet(StringComparer.Ordinal)));
        // The cookie is re-issued from the database on every request (security stamp check); keep how it was signed in.
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            if (context.CurrentPrincipal?.FindFirst(MethodClaim) is { } method && context.NewPrincipal?.Identity is ClaimsIdentity identity)
            {
                identity.AddClaim(new Claim(MethodClaim, method.Value));
            }

            return Task.CompletedTask;
        });
        return builder;
    }

    /// <summary>Refuses everything but enrolment to a user who must use a code and signed in without one.</summary>
    public static WebApplication UseTwoFactorRequirement(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var requirement = app.Services.GetRequiredService<Requirement>();
        if (requirement.Roles.Count == 0)
        {
            return app;
        }

        app.Use(async (context, next) =>
        {
            var user = context.User;
            if (user.Identity?.IsAuthenticated == true && requirement.AppliesTo(user) && user.FindFirst(MethodClaim)?.Value != WithCode
                && !Allowed(context.Request.Path))
            {
                await TypedResults.Problem(
                        title: "Two-factor sign-in required.",
                        detail: "Your role requires an authenticator code at sign-in. Set one up (GET then POST /api/account/2fa), or sign out and sign in with your code.",
                        statusCode: StatusCodes.Status403Forbidden,
                        extensions: new Dictionary<string, object?> { ["code"] = ErrorCode })
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;

        static bool Allowed(PathString path) =>
            !path.StartsWithSegments("/api") && !path.StartsWithSegments("/hubs")
            || path.StartsWithSegments("/api/account/2fa") || path.StartsWithSegments("/api/account/me")
            || path.StartsWithSegments("/api/account/logout") || path.StartsWithSegments("/api/account/login")
            || path.StartsWithSegments("/api/account/language");
    }

    public static void MapTwoFactor(this RouteGroupBuilder account)
    {
        ArgumentNullException.ThrowIfNull(account);
        account.MapGet("/2fa", GetAsync).RequireAuthorization();
        account.MapPost("/2fa", (Delegate)((HttpContext context) => JsonBody.HandleAsync<TwoFactorCodeRequest>(context, r => EnableAsync(context, r))))
            .Accepts<TwoFactorCodeRequest>("application/json").Produces<TwoFactorView>().ProducesValidationProblem().RequireAuthorization();
        account.MapPost("/2fa/disable", (Delegate)((HttpContext context) => JsonBody.HandleAsync<TwoFactorCodeRequest>(context, r => DisableAsync(context, r))))
            .Accepts<TwoFactorCodeRequest>("application/json").Produces<TwoFactorView>().ProducesValidationProblem().ProducesProblem(409).RequireAuthorization();
    }

    /// <summary>Whether a code given at sign-in is the user's current authenticator code.</summary>
    public static Task<bool> VerifyAsync(UserManager<AppUser> users, AppUser user, string code) =>
        users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Normalize(code));

    private static string Normalize(string code) => code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);

    private static async Task<IResult> GetAsync(HttpContext context, UserManager<AppUser> users, Requirement requirement)
    {
        if (await users.GetUserAsync(context.User) is not { } user)
        {
            return Results.Unauthorized();
        }

        return TypedResults.Ok(await ViewAsync(context, users, requirement, user));
    }

    private static async Task<TwoFactorView> ViewAsync(HttpContext context, UserManager<AppUser> users, Requirement requirement, AppUser user)
    {
        var required = requirement.AppliesTo(await users.GetRolesAsync(user));
        var withCode = context.User.FindFirst(MethodClaim)?.Value == WithCode;
        if (user.TwoFactorEnabled)
        {
            return new TwoFactorView(true, required, withCode, null, null);
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            // A new key renews the security stamp: re-issue this cookie, or the next request is signed out.
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
            await SignInAgainAsync(context, user, context.User.FindFirst(MethodClaim)?.Value ?? "pwd");
        }

        var uri = $"otpauth://totp/{UrlEncoder.Default.Encode(Issuer)}:{UrlEncoder.Default.Encode(user.UserName ?? user.Id)}?secret={key}&issuer={UrlEncoder.Default.Encode(Issuer)}&digits=6";
        return new TwoFactorView(false, required, withCode, key, uri);
    }

    private static async Task<IResult> EnableAsync(HttpContext context, TwoFactorCodeRequest request)
    {
        var code = RequestRules.Text(request.Code, "code", 16);
        var services = context.RequestServices;
        var signIn = services.GetRequiredService<SignInManager<AppUser>>();
        var users = signIn.UserManager;
        if (await users.GetUserAsync(context.User) is not { } user)
        {
            return Results.Unauthorized();
        }

        if (!user.TwoFactorEnabled)
        {
            if (string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user)) || !await VerifyAsync(users, user, code))
            {
                return ValidationProblems.Field("code", "is not the code your authenticator shows now (get the key with GET /api/account/2fa, then enter the 6 digits it shows)");
            }

            await users.SetTwoFactorEnabledAsync(user, true);
            await AuditLog.AppendGlobalAsync(services.GetRequiredService<IDbContextFactory<NegotiationDbContext>>(), user.UserName!, AuditEvents.TwoFactorEnabled,
                new { userId = user.Id }, services.GetRequiredService<TimeProvider>(), context.RequestAborted);
        }

        // The code just given proves the second factor: this sign-in now counts as one with a code.
        await SignInAgainAsync(context, user, WithCode);
        return TypedResults.Ok(new TwoFactorView(true, services.GetRequiredService<Requirement>().AppliesTo(await users.GetRolesAsync(user)), true, null, null));
    }

    /// <summary>Signs <paramref name="user"/> in with a cookie of their current security stamp, recording how (<see cref="MethodClaim"/>).</summary>
    public static Task SignInAgainAsync(HttpContext context, AppUser user, string method)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.RequestServices;
        return services.GetRequiredService<SignInManager<AppUser>>()
            .SignInWithClaimsAsync(user, services.GetRequiredService<SignInCookie>().Persistent, [new Claim(MethodClaim, method)]);
    }

    private static async Task<IResult> DisableAsync(HttpContext context, TwoFactorCodeRequest request)
    {
        var code = RequestRules.Text(request.Code, "code", 16);
        var services = context.RequestServices;
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var requirement = services.GetRequiredService<Requirement>();
        if (await users.GetUserAsync(context.User) is not { } user)
        {
            return Results.Unauthorized();
        }

        if (requirement.AppliesTo(await users.GetRolesAsync(user)))
        {
            return TypedResults.Problem(title: "Two-factor sign-in is required for your role.", detail: "Auth:RequireTwoFactorFor includes one of your roles, so the authenticator stays on.",
                statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["code"] = "two_factor_mandatory" });
        }

        if (user.TwoFactorEnabled)
        {
            if (!await VerifyAsync(users, user, code))
            {
                return ValidationProblems.Field("code", "is not the code your authenticator shows now");
            }

            await users.SetTwoFactorEnabledAsync(user, false);
            await users.ResetAuthenticatorKeyAsync(user);
            await SignInAgainAsync(context, user, context.User.FindFirst(MethodClaim)?.Value ?? "pwd");
            await AuditLog.AppendGlobalAsync(services.GetRequiredService<IDbContextFactory<NegotiationDbContext>>(), user.UserName!, AuditEvents.TwoFactorDisabled,
                new { userId = user.Id }, services.GetRequiredService<TimeProvider>(), context.RequestAborted);
        }

        return TypedResults.Ok(await ViewAsync(context, users, requirement, user));
    }
}

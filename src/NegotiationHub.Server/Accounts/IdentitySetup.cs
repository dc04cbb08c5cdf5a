using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using NegotiationHub.Data;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Accounts;

/// <summary>The first administrator, created at start when no admin exists (<c>Admin:*</c>).</summary>
public sealed class AdminOptions
{
    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string DisplayName { get; set; } = "Administrator";
}

/// <summary>Identity with cookie login, roles, lockout and a password policy.</summary>
public static class IdentitySetup
{
    /// <summary>The cookie that carries the login.</summary>
    public const string CookieName = "nh.auth";

    public static IHostApplicationBuilder AddNegotiationHubIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIdentity<AppUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = PasswordPolicy.MinimumLength;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = AccountsApi.MaxFailedSignIns;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(AccountsApi.LockoutMinutes);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+";
            })
            .AddEntityFrameworkStores<NegotiationDbContext>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<PasswordPolicy>();

        // The cookie is checked against the user's security stamp on every request, so signing out
        // (which renews the stamp) revokes every copy of the cookie at once (issue 20, item 8).
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        var lifetime = TimeSpan.FromMinutes(builder.Configuration.GetValue("Auth:CookieLifetimeMinutes", 12 * 60));
        // Read at start, so a malformed value stops the server instead of failing every sign-in.
        builder.Services.AddSingleton(new SignInCookie(builder.Configuration.GetValue("Auth:PersistentCookie", false)));

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict; // no cross-site requests carry the login (CSRF)
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = lifetime; // Auth:CookieLifetimeMinutes, sliding: renewed while in use
            o.SlidingExpiration = true;
            // An API answers 401/403; the browser client shows its own sign-in page.
            o.Events.OnRedirectToLogin = context => WriteStatus(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => WriteStatus(context, StatusCodes.Status403Forbidden);
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.CanCoordinate, p => p.RequireRole(Roles.Coordinator, Roles.Admin))
            .AddPolicy(Roles.CanAudit, p => p.RequireRole(Roles.Auditor, Roles.Admin));
        builder.Services.AddOptions<AdminOptions>().BindConfiguration("Admin");
        builder.Services.AddSingleton<SignInThrottle>();
        builder.AddTwoFactor();

        // Several nodes behind one proxy must read each other's login cookies: share the key ring.
        var keysPath = builder.Configuration["DataProtection:KeysPath"];
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("NegotiationHub");
        if (!string.IsNullOrWhiteSpace(keysPath))
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keysPath));
        }

        return builder;
    }

    private static Task WriteStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}

/// <summary>Whether the sign-in cookie outlives the browser session (<c>Auth:PersistentCookie</c>, default false).</summary>
public sealed record SignInCookie(bool Persistent);

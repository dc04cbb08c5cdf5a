using System.Security.Claims;

namespace NegotiationHub.Server.Live;

/// <summary>The authenticated user behind a request or hub call.</summary>
public sealed record Caller(string UserId, string UserName, IReadOnlySet<string> Roles)
{
    public bool IsAdmin => Roles.Contains(Accounts.Roles.Admin);

    public bool CanCoordinate => IsAdmin || Roles.Contains(Accounts.Roles.Coordinator);

    public bool CanAudit => IsAdmin || Roles.Contains(Accounts.Roles.Auditor);

    /// <summary>Reads the caller from an authenticated principal, or null when anonymous.</summary>
    public static Caller? From(ClaimsPrincipal? principal)
    {
        var id = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        if (principal?.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(id))
        {
            return null;
        }

        return new Caller(
            id,
            principal.FindFirstValue(ClaimTypes.Name) ?? id,
            principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet());
    }
}

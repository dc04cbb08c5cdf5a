using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Accounts;

/// <summary>
/// Role grants, each committed with its entry in the global audit chain (issue 20; ADR 0017): the
/// verifier replays the chain's grants and compares them with Identity's user–role table.
/// </summary>
public static class RoleGrants
{
    /// <summary>Grants <paramref name="role"/> to <paramref name="user"/> and records it as <paramref name="eventType"/> in one save.</summary>
    public static Task GrantAsync(IDbContextFactory<NegotiationDbContext> factory, TimeProvider time, string actor, string eventType, AppUser user, string role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return AuditLog.AppendGlobalAsync(factory, actor, eventType, new { userId = user.Id, userName = user.UserName, role }, time, cancellationToken, async db =>
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = await RoleIdAsync(db, role, cancellationToken) }));
    }

    /// <summary>Takes <paramref name="role"/> from <paramref name="user"/> and records it as <c>RoleRevoked</c> in one save.</summary>
    public static Task RevokeAsync(IDbContextFactory<NegotiationDbContext> factory, TimeProvider time, string actor, AppUser user, string role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return AuditLog.AppendGlobalAsync(factory, actor, AuditEvents.RoleRevoked, new { userId = user.Id, userName = user.UserName, role }, time, cancellationToken, async db =>
        {
            var roleId = await RoleIdAsync(db, role, cancellationToken);
            db.UserRoles.Remove(await db.UserRoles.SingleAsync(r => r.UserId == user.Id && r.RoleId == roleId, cancellationToken));
        });
    }

    /// <summary>The id of a role by its name, as Identity normalizes it.</summary>
    private static async Task<string> RoleIdAsync(NegotiationDbContext db, string role, CancellationToken cancellationToken)
    {
        var normalized = role.ToUpperInvariant();
        return await db.Roles.Where(r => r.NormalizedName == normalized).Select(r => r.Id).SingleAsync(cancellationToken);
    }

    /// <summary>
    /// Once per database, the first time a server that audits role grants starts: records every grant
    /// already there (made before grants were audited) in a <c>RolesAdopted</c> entry, so that the
    /// verifier can tell them from grants written behind the application's back later.
    /// </summary>
    public static async Task AdoptExistingAsync(IDbContextFactory<NegotiationDbContext> factory, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await db.AuditEntries.AnyAsync(e => e.Chain == AuditChain.GlobalChain && e.Type == AuditEvents.RolesAdopted, cancellationToken))
        {
            return;
        }

        var grants = await (from userRole in db.UserRoles
                            join r in db.Roles on userRole.RoleId equals r.Id
                            orderby userRole.UserId, r.Name
                            select new { userId = userRole.UserId, role = r.Name }).ToListAsync(cancellationToken);
        await AuditLog.AppendGlobalAsync(factory, "system", AuditEvents.RolesAdopted, new { grants }, time, cancellationToken);
    }
}

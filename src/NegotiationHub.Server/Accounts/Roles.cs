namespace NegotiationHub.Server.Accounts;

/// <summary>The platform-wide roles (PRODUCT.md capability 1).</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Coordinator = "Coordinator";
    public const string Member = "Member";
    public const string Auditor = "Auditor";

    /// <summary>Every role, for seeding.</summary>
    public static readonly IReadOnlyList<string> All = [Admin, Coordinator, Member, Auditor];

    /// <summary>Policy: may create and run sessions.</summary>
    public const string CanCoordinate = "CanCoordinate";

    /// <summary>Policy: may read audit data.</summary>
    public const string CanAudit = "CanAudit";
}

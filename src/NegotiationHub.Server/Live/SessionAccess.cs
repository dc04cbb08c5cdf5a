using NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Live;

/// <summary>Who may read a session and who coordinates it: one rule for the hub, the live session and every endpoint.</summary>
public static class SessionAccess
{
    public static bool CanRead(Caller caller, NegotiationSession session) => CanRead(caller, session.CreatedById, session.Members);

    /// <summary>Admins and auditors read every session; others the sessions they created or belong to.</summary>
    public static bool CanRead(Caller caller, string createdById, IEnumerable<SessionMembership> members) =>
        caller.IsAdmin || caller.CanAudit || createdById == caller.UserId || members.Any(m => m.UserId == caller.UserId);

    /// <summary>Admins, and coordinators who created the session or are its coordinators.</summary>
    public static bool Coordinates(Caller caller, string createdById, IEnumerable<SessionMembership> members) =>
        caller.IsAdmin || (caller.CanCoordinate &&
            (createdById == caller.UserId || members.Any(m => m.UserId == caller.UserId && m.Role == SessionRole.Coordinator)));

    public static void RequireCoordinator(Caller caller, NegotiationSession session)
    {
        if (!Coordinates(caller, session.CreatedById, session.Members))
        {
            throw SessionException.Forbidden("Only the session's coordinators may do this.");
        }
    }
}

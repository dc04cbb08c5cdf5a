using NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Sessions;

public sealed record MemberView(string UserId, string UserName, string DisplayName, SessionRole Role, int? PartyIndex);

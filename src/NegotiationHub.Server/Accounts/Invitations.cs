using System.Security.Cryptography;
using System.Text;
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

public sealed record InvitationRequest(string? UserName, string? DisplayName, string? Role, Guid? SessionId, int? PartyIndex, int? ValidHours);

public sealed record InvitationImportRequest(string? Csv, int? ValidHours);

public sealed record AcceptInvitationRequest(string? Token, string? Password);

/// <summary>
/// An invitation as its maker sees it. <paramref name="Link"/> (holding the token) is given once,
/// when it is made; only the token's hash is kept.
/// </summary>
public sealed record InvitationView(Guid Id, string Kind, string UserName, string DisplayName, string Role, Guid? SessionId, int? PartyIndex,
    DateTime CreatedUtc, DateTime ExpiresUtc, string Status, string? Link);

/// <summary>What the holder of a link is shown before choosing a password.</summary>
public sealed record InvitationPreview(string Kind, string UserName, string DisplayName, string Role, string? SessionName, string? PartyName, DateTime ExpiresUtc);

/// <summary>A link used: who is now signed in, and the session to open.</summary>
public sealed record AcceptedInvitation(UserView User, Guid? SessionId);

/// <summary>
/// One-time links instead of typed passwords (issue 21): an admin invites anyone with any role; a
/// coordinator invites members to a party of a session they coordinate. The invitee chooses their
/// password (the password policy applies) and is signed in; a reset link lets an existing user
/// choose a new one. Links expire (<c>Invitations:ValidHours</c>, 72 by default), are used once,
/// can be revoked, and are stored as the SHA-256 of their token. Every step is in the global chain.
/// </summary>
public sealed class InvitationService(
    IDbContextFactory<NegotiationDbContext> dbFactory,
    UserManager<AppUser> users,
    SessionService sessions,
    TimeProvider time,
    IConfiguration configuration)
{
    public const string Invite = "invite";
    public const string Reset = "reset";

    /// <summary>The longest an invitation may be valid (30 days).</summary>
    public const int MaxValidHours = 720;

    private int DefaultValidHours => Math.Clamp(configuration.GetValue("Invitations:ValidHours", 72), 1, MaxValidHours);

    /// <summary>Makes an invitation; <paramref name="baseUri"/> is the public address the link starts with.</summary>
    public async Task<InvitationView> CreateAsync(Caller caller, InvitationRequest request, Uri baseUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (invitation, token) = await PrepareAsync(caller, request, cancellationToken);
        await SaveAsync(caller, [invitation], cancellationToken);
        return View(invitation, LinkFor(baseUri, token));
    }

    /// <summary>
    /// Invites the members listed in a CSV (user name, display name, party — by index or name) to a
    /// session: every row is checked first and nothing is made unless all are valid.
    /// </summary>
    public async Task<IReadOnlyList<InvitationView>> ImportAsync(Caller caller, Guid sessionId, InvitationImportRequest request, Uri baseUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var csv = request.Csv;
        if (string.IsNullOrWhiteSpace(csv))
        {
            throw new ModelValidationException("csv", "is required: one member per line as userName,displayName,party");
        }

        if (csv.Length > 200_000)
        {
            throw new ModelValidationException("csv", "must be at most 200000 characters");
        }

        // Not trimmed: line numbers in errors are the lines of the file as given.
        if (csv.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            throw new ModelValidationException("csv", "must not contain control characters other than line breaks and tabs");
        }

        var session = await sessions.LoadForWriteAsync(caller, sessionId, cancellationToken);
        var rows = CsvRows.Parse(csv);
        if (rows.Count > 0 && rows[0].Cells.Count > 0 && rows[0].Cells[0].Trim().Equals("userName", StringComparison.OrdinalIgnoreCase))
        {
            rows = rows.Skip(1).ToList();
        }

        if (rows.Count == 0)
        {
            throw new ModelValidationException("csv", "has no rows: give one member per line as userName,displayName,party");
        }

        if (rows.Count > 500)
        {
            throw new ModelValidationException("csv", $"has {rows.Count} rows; import at most 500 at a time");
        }

        var errors = new List<FieldError>();
        var prepared = new List<(Invitation, string)>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows)
        {
            var at = $"csv[{row.Line}]";
            if (row.Cells.Count != 3)
            {
                errors.Add(new FieldError(at, $"line {row.Line}: has {row.Cells.Count} columns; expected 3 (userName,displayName,party)"));
                continue;
            }

            var party = row.Cells[2].Trim();
            int? index = int.TryParse(party, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < session.Parties.Count
                ? i
                : session.Parties.FirstOrDefault(p => string.Equals(p.Name, party, StringComparison.OrdinalIgnoreCase))?.Index
                  ?? (session.Parties.Where(p => string.Equals(p.Category.ToString(), party, StringComparison.OrdinalIgnoreCase)).ToList() is [var only] ? only.Index : null);
            if (index is null)
            {
                errors.Add(new FieldError($"{at}.party", $"line {row.Line}: no party '{party}' (give an index 0–{session.Parties.Count - 1}, a party's name, or its category when one party has it)"));
                continue;
            }

            if (seen.TryGetValue(row.Cells[0].Trim(), out var first))
            {
                errors.Add(new FieldError($"{at}.userName", $"line {row.Line}: '{row.Cells[0].Trim()}' is already on line {first}"));
                continue;
            }

            seen[row.Cells[0].Trim()] = row.Line;
            try
            {
                prepared.Add(await PrepareAsync(caller, new InvitationRequest(row.Cells[0], row.Cells[1], Roles.Member, sessionId, index, request.ValidHours), cancellationToken));
            }
            catch (ModelValidationException exception)
            {
                errors.AddRange(exception.Errors.Select(e => new FieldError($"{at}.{e.Field}", $"line {row.Line}: {e.Field} {e.Message}")));
            }
        }

        if (errors.Count > 0)
        {
            throw new ModelValidationException(errors);
        }

        await SaveAsync(caller, [.. prepared.Select(p => p.Item1)], cancellationToken);
        return [.. prepared.Select(p => View(p.Item1, LinkFor(baseUri, p.Item2)))];
    }

    /// <summary>A reset link for an existing user (admins).</summary>
    public async Task<InvitationView> CreateResetAsync(Caller caller, string userId, Uri baseUri, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new SessionException(SessionErrorKind.NotFound, $"No user has the id {userId}.");
        var now = time.GetDatabaseUtcNow();
        var token = NewToken();
        var invitation = new Invitation
        {
            Id = Guid.NewGuid(), TokenHash = Hash(token), Kind = Reset, UserName = user.UserName ?? "", DisplayName = user.DisplayName, UserId = user.Id,
            CreatedById = caller.UserId, CreatedUtc = now, ExpiresUtc = now.AddHours(DefaultValidHours),
        };
        await SaveAsync(caller, [invitation], cancellationToken);
        return View(invitation, LinkFor(baseUri, token));
    }

    public async Task<Page<InvitationView>> ListAsync(Caller caller, Guid? sessionId, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        if (sessionId is { } id)
        {
            await sessions.LoadForWriteAsync(caller, id, cancellationToken);
        }
        else if (!caller.IsAdmin)
        {
            throw SessionException.Forbidden("Only admins list every invitation; give the sessionId of a session you coordinate.");
        }

        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var index = Paging.Page(page, size);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Invitations.AsNoTracking().Where(i => sessionId == null || i.SessionId == sessionId);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(i => i.CreatedUtc).Skip((index - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new Page<InvitationView>([.. items.Select(i => View(i, null))], index, size, total);
    }

    public async Task<InvitationView> RevokeAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == id, cancellationToken) ?? throw new SessionException(SessionErrorKind.NotFound, $"No invitation has the id {id}.");
        if (!caller.IsAdmin)
        {
            if (invitation.SessionId is not { } sessionId)
            {
                throw new SessionException(SessionErrorKind.NotFound, $"No invitation has the id {id}.");
            }

            await sessions.LoadForWriteAsync(caller, sessionId, cancellationToken);
        }

        var status = StatusOf(invitation, time.GetDatabaseUtcNow());
        if (status != "pending")
        {
            throw SessionException.Conflict($"The invitation is {status}; only a pending one can be revoked.");
        }

        invitation.RevokedUtc = time.GetDatabaseUtcNow();
        await AuditLog.AppendAsync(db, AuditChain.GlobalChain, caller.UserName, AuditEvents.InvitationRevoked, new { invitationId = id, userName = invitation.UserName }, invitation.RevokedUtc.Value, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return View(invitation, null);
    }

    /// <summary>What a link offers, for its holder (anonymous); refused when used, expired or revoked.</summary>
    public async Task<InvitationPreview> PreviewAsync(string token, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var invitation = await UsableAsync(db, token, cancellationToken);
        string? sessionName = null;
        string? partyName = null;
        if (invitation.SessionId is { } sessionId)
        {
            sessionName = await db.Sessions.Where(s => s.Id == sessionId).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken);
            partyName = await db.Parties.Where(p => p.SessionId == sessionId && p.Index == invitation.PartyIndex).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken);
        }

        return new InvitationPreview(invitation.Kind, invitation.UserName, invitation.DisplayName, invitation.Role, sessionName, partyName, invitation.ExpiresUtc);
    }

    /// <summary>
    /// Uses a link: checks the password against the policy, claims the link (once, even when two
    /// tabs race), then makes the account with its role and membership, or sets the new password.
    /// </summary>
    public async Task<(AppUser User, Guid? SessionId)> AcceptAsync(AcceptInvitationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = RequestRules.Text(request.Token, "token", 128);
        var password = RequestRules.Text(request.Password, "password", 256);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var invitation = await UsableAsync(db, token, cancellationToken);
        var user = invitation.Kind == Reset
            ? await users.FindByIdAsync(invitation.UserId ?? "") ?? throw Gone("invitation_unknown", "The account this link was for no longer exists.")
            : new AppUser { UserName = invitation.UserName, DisplayName = invitation.DisplayName };
        if (user.Disabled)
        {
            // A reset link does not re-open a disabled account, nor sign its holder in.
            throw Gone("account_disabled", "This account is disabled; an administrator must enable it first.", StatusCodes.Status403Forbidden);
        }

        var problems = new List<FieldError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            problems.AddRange(result.Errors.Select(e => new FieldError("password", e.Description)));
        }

        if (problems.Count > 0)
        {
            throw new ModelValidationException(problems);
        }

        if (invitation.Kind == Invite && await users.FindByNameAsync(invitation.UserName) is not null)
        {
            throw SessionException.Conflict($"The user name '{invitation.UserName}' was taken after this invitation was made; ask for a new one.");
        }

        var now = time.GetDatabaseUtcNow();
        var claimed = await db.Invitations
            .Where(i => i.Id == invitation.Id && i.UsedUtc == null && i.RevokedUtc == null && i.ExpiresUtc > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedUtc, now), cancellationToken);
        if (claimed == 0)
        {
            throw Gone("invitation_used", "This link was used a moment ago.");
        }

        var inviter = await users.FindByIdAsync(invitation.CreatedById);
        var actor = inviter?.UserName ?? "system";
        if (invitation.Kind == Reset)
        {
            var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
            if (!reset.Succeeded)
            {
                throw new ModelValidationException([.. reset.Errors.Select(e => new FieldError("password", e.Description))]);
            }

            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
            await AuditLog.AppendGlobalAsync(dbFactory, user.UserName!, AuditEvents.PasswordReset, new { userId = user.Id, invitationId = invitation.Id }, time, cancellationToken);
            return (user, null);
        }

        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            await db.Invitations.Where(i => i.Id == invitation.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedUtc, (DateTime?)null), cancellationToken);
            throw new ModelValidationException([.. created.Errors.Select(e => new FieldError(e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "token", e.Description))]);
        }

        await RoleGrants.GrantAsync(dbFactory, time, actor, AuditEvents.UserCreated, user, invitation.Role, cancellationToken);
        await AuditLog.AppendGlobalAsync(dbFactory, user.UserName!, AuditEvents.InvitationAccepted, new { invitationId = invitation.Id, userId = user.Id }, time, cancellationToken);
        if (invitation.SessionId is { } sessionId && inviter is not null)
        {
            var caller = new Caller(inviter.Id, inviter.UserName!, (await users.GetRolesAsync(inviter)).ToHashSet());
            await sessions.AddMemberAsync(caller, sessionId, new MemberRequest { UserName = user.UserName, Role = SessionRole.Member, PartyIndex = invitation.PartyIndex }, cancellationToken);
        }

        return (user, invitation.SessionId);
    }

    private async Task<(Invitation, string Token)> PrepareAsync(Caller caller, InvitationRequest request, CancellationToken cancellationToken)
    {
        var userName = RequestRules.Text(request.UserName, "userName", 64);
        var allowed = users.Options.User.AllowedUserNameCharacters;
        if (userName.Any(c => !allowed.Contains(c)))
        {
            throw new ModelValidationException("userName", "may contain only letters a–z, A–Z, digits and - . _ @ +");
        }

        var displayName = RequestRules.OptionalText(request.DisplayName, "displayName", 200) ?? userName;
        var role = RequestRules.OptionalText(request.Role, "role", 32) ?? Roles.Member;
        if (!Roles.All.Contains(role))
        {
            throw new ModelValidationException("role", $"must be one of {string.Join(", ", Roles.All)}");
        }

        var hours = request.ValidHours ?? DefaultValidHours;
        if (hours is < 1 or > MaxValidHours)
        {
            throw new ModelValidationException("validHours", $"must lie in [1, {MaxValidHours}]");
        }

        if (request.SessionId is { } sessionId)
        {
            var session = await sessions.LoadForWriteAsync(caller, sessionId, cancellationToken);
            if (role != Roles.Member)
            {
                throw new ModelValidationException("role", "an invitation to a session's party is for a Member");
            }

            var party = RequestRules.Required(request.PartyIndex, "partyIndex");
            if (party < 0 || party >= session.Parties.Count)
            {
                throw new ModelValidationException("partyIndex", $"must lie in [0, {session.Parties.Count - 1}]");
            }
        }
        else if (!caller.IsAdmin)
        {
            throw SessionException.Forbidden("Coordinators invite members to a session they coordinate: give its sessionId and a partyIndex.");
        }
        else if (request.PartyIndex is not null)
        {
            throw new ModelValidationException("partyIndex", "needs the sessionId of the party's session");
        }

        if (await users.FindByNameAsync(userName) is not null)
        {
            throw new ModelValidationException("userName", $"'{userName}' already has an account");
        }

        var now = time.GetDatabaseUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Invitations.AnyAsync(i => i.UserName == userName && i.Kind == Invite && i.UsedUtc == null && i.RevokedUtc == null && i.ExpiresUtc > now, cancellationToken))
        {
            throw new ModelValidationException("userName", $"'{userName}' has a pending invitation; revoke it first");
        }

        var token = NewToken();
        return (new Invitation
        {
            Id = Guid.NewGuid(), TokenHash = Hash(token), Kind = Invite, UserName = userName, DisplayName = displayName, Role = role,
            SessionId = request.SessionId, PartyIndex = request.SessionId is null ? null : request.PartyIndex,
            CreatedById = caller.UserId, CreatedUtc = now, ExpiresUtc = now.AddHours(hours),
        }, token);
    }

    private async Task SaveAsync(Caller caller, IReadOnlyList<Invitation> invitations, CancellationToken cancellationToken)
    {
        await AuditLog.AppendGlobalAsync(dbFactory, caller.UserName, AuditEvents.InvitationsCreated,
            new
            {
                invitations = invitations.Select(i => new { invitationId = i.Id, i.Kind, i.UserName, i.Role, userId = i.UserId, i.SessionId, i.PartyIndex, expiresUtc = i.ExpiresUtc }),
            },
            time, cancellationToken, db =>
            {
                db.Invitations.AddRange(invitations);
                return Task.CompletedTask;
            });
    }

    private async Task<Invitation> UsableAsync(NegotiationDbContext db, string token, CancellationToken cancellationToken)
    {
        var hash = Hash(token.Trim());
        var invitation = await db.Invitations.AsNoTracking().FirstOrDefaultAsync(i => i.TokenHash == hash, cancellationToken)
            ?? throw Gone("invitation_unknown", "This link is not valid: check that it was copied whole, or ask for a new one.", StatusCodes.Status404NotFound);
        return StatusOf(invitation, time.GetDatabaseUtcNow()) switch
        {
            "used" => throw Gone("invitation_used", "This link was already used. Sign in with the password chosen then, or ask for a new link."),
            "revoked" => throw Gone("invitation_revoked", "This link was revoked by whoever made it; ask them for a new one."),
            "expired" => throw Gone("invitation_expired", $"This link expired on {invitation.ExpiresUtc:yyyy-MM-dd HH:mm} UTC; ask for a new one."),
            _ => invitation,
        };
    }

    private static string StatusOf(Invitation i, DateTime now) =>
        i.UsedUtc is not null ? "used" : i.RevokedUtc is not null ? "revoked" : i.ExpiresUtc <= now ? "expired" : "pending";

    private InvitationView View(Invitation i, string? link) =>
        new(i.Id, i.Kind, i.UserName, i.DisplayName, i.Role, i.SessionId, i.PartyIndex, i.CreatedUtc, i.ExpiresUtc, StatusOf(i, time.GetDatabaseUtcNow()), link);

    private static string LinkFor(Uri baseUri, string token) => new Uri(baseUri, "/#/invite/" + token).ToString();

    private static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Lower-case hex SHA-256 of a token: what is stored.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static InvitationGoneException Gone(string code, string message, int status = StatusCodes.Status410Gone) => new(code, message, status);
}

/// <summary>A link that cannot be used (unknown 404; used, expired, revoked 410), with a stable error code.</summary>
public sealed class InvitationGoneException(string code, string message, int status) : Exception(message)
{
    public string Code { get; } = code;

    public int Status { get; } = status;
}

/// <summary>Lines of a CSV (RFC 4180 quoting), with their 1-based line numbers; blank lines skipped.</summary>
public static class CsvRows
{
    public sealed record Row(int Line, IReadOnlyList<string> Cells);

    public static List<Row> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<Row>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var rowLine = 1;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    cell.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    End();
                    line++;
                    rowLine = line;
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }

        End();
        return rows;

        void End()
        {
            cells.Add(cell.ToString());
            cell.Clear();
            if (cells.Count > 1 || cells[0].Trim().Length > 0)
            {
                rows.Add(new Row(rowLine, [.. cells]));
            }

            cells.Clear();
        }
    }
}

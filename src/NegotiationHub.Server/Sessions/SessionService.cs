using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Data;
using NegotiationHub.Data.Entities;
using NegotiationHub.Data.Audit;
using NegotiationHub.Server.Accounts;
using NegotiationHub.Server.Infrastructure;
using NegotiationHub.Server.Live;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Sessions;

/// <summary>
/// Session set-up and reading: create, configure, strengths, members, open/close, list, detail.
/// Every method checks the caller's role and membership itself; nothing is written on refusal.
/// </summary>
public sealed class SessionService(NegotiationDbContext db, UserManager<AppUser> users, TimeProvider time)
{
    public async Task<SessionDetail> CreateAsync(Caller caller, SessionSetupRequest request, CancellationToken cancellationToken)
    {
        if (!caller.CanCoordinate)
        {
            throw SessionException.Forbidden("Only coordinators create sessions.");
        }

        var setup = SessionDefinition.From(request);
        var now = time.GetDatabaseUtcNow();
        var session = new NegotiationSession { Id = Guid.NewGuid(), CreatedUtc = now, CreatedById = caller.UserId, State = SessionState.Draft };
        Apply(db, session, setup);
        session.Strengths.AddRange(Readings(session.Id, 0, setup.Strengths, caller, now));
        session.Members.Add(new SessionMembership { SessionId = session.Id, UserId = caller.UserId, Role = SessionRole.Coordinator, AddedUtc = now });
        db.Sessions.Add(session);
        await AuditLog.AppendAsync(db, AuditChain.ForSession(session.Id), caller.UserName, AuditEvents.SessionCreated, SetupPayload(setup), now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return await GetAsync(caller, session.Id, cancellationToken);
    }

    public async Task<SessionDetail> ConfigureAsync(Caller caller, Guid id, SessionSetupRequest request, CancellationToken cancellationToken)
    {
        var session = await LoadForWriteAsync(caller, id, cancellationToken);
        if (session.State != SessionState.Draft)
        {
            throw SessionException.Conflict($"The session is {session.State}; only a draft session can be reconfigured.");
        }

        var setup = SessionDefinition.From(request);
        var memberParties = session.Members.Where(m => m.PartyIndex is not null).Select(m => m.PartyIndex!.Value).DefaultIfEmpty(-1).Max();
        if (memberParties >= setup.Parties.Count)
        {
            throw new ModelValidationException("parties", $"party {memberParties} has members; keep at least {memberParties + 1} parties");
        }

        // One write with its audit entry (issue 20, item 11): parties and factors are keyed by their
        // index, so rows at indices both setups have are updated in place, the rest removed or added;
        // the readings are replaced. A failure anywhere leaves the session as it was, with no audit entry.
        Apply(db, session, setup);
        db.StrengthReadings.RemoveRange(session.Strengths);
        session.Strengths.Clear();
        session.Strengths.AddRange(Readings(session.Id, 0, setup.Strengths, caller, time.GetDatabaseUtcNow()));
        session.Version++; // a concurrent change of the session fails the whole write
        await AuditLog.AppendAsync(db, AuditChain.ForSession(id), caller.UserName, AuditEvents.SessionConfigured, SetupPayload(setup), time.GetDatabaseUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return await GetAsync(caller, id, cancellationToken);
    }

    public async Task<SessionDetail> RecordStrengthsAsync(Caller caller, Guid id, StrengthsRequest request, CancellationToken cancellationToken)
    {
        var session = await LoadForWriteAsync(caller, id, cancellationToken);
        var period = RequestRules(request.Period);
        var strengths = SessionDefinition.ValidateStrengths(
            request.Strengths ?? throw new ModelValidationException("strengths", "is required"),
            session.Parties.Count, session.Factors.Count, "strengths");
        if (session.State is SessionState.Closed)
        {
            throw SessionException.Conflict("The session is closed.");
        }

        var now = time.GetDatabaseUtcNow();
        if (period == session.CurrentPeriod && session.State == SessionState.Draft)
        {
            // Replaced in the same write as the new readings and their audit entry (issue 20, item 11).
            db.StrengthReadings.RemoveRange(session.Strengths.Where(r => r.Period == period));
        }
        else if (period <= session.CurrentPeriod)
        {
            throw new ModelValidationException("period", $"must be after the current period {session.CurrentPeriod} (readings of past periods are kept as they were)");
        }

        db.StrengthReadings.AddRange(Readings(id, period, strengths, caller, now));
        session.CurrentPeriod = period;
        session.Version++;
        await AuditLog.AppendAsync(db, AuditChain.ForSession(id), caller.UserName, AuditEvents.StrengthsRecorded, new { period, strengths }, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return await GetAsync(caller, id, cancellationToken);

        static int RequestRules(int? value) => Infrastructure.RequestRules.Range(value ?? 0, "period", 0, 10_000);
    }

    public async Task<MemberView> AddMemberAsync(Caller caller, Guid id, MemberRequest request, CancellationToken cancellationToken)
    {
        var session = await LoadForWriteAsync(caller, id, cancellationToken);
        var userName = Infrastructure.RequestRules.Text(request.UserName, "userName", 256);
        var role = request.Role ?? SessionRole.Member;
        var user = await users.FindByNameAsync(userName) ?? throw new ModelValidationException("userName", $"no user is called '{userName}'");
        var platformRoles = await users.GetRolesAsync(user);
        int? party = null;
        switch (role)
        {
            case SessionRole.Member when platformRoles.Contains(Roles.Auditor):
                throw new ModelValidationException("userName", $"'{userName}' is an auditor: auditors observe sessions and never bid for a party");
            case SessionRole.Member:
                var index = Infrastructure.RequestRules.Required(request.PartyIndex, "partyIndex");
                if (index < 0 || index >= session.Parties.Count)
                {
                    throw new ModelValidationException("partyIndex", $"must lie in [0, {session.Parties.Count - 1}]");
                }

                party = index;
                break;
            case SessionRole.Coordinator when !platformRoles.Contains(Roles.Coordinator) && !platformRoles.Contains(Roles.Admin):
                throw new ModelValidationException("role", $"'{userName}' is not a coordinator");
            case SessionRole.Auditor when !platformRoles.Contains(Roles.Auditor) && !platformRoles.Contains(Roles.Admin):
                throw new ModelValidationException("role", $"'{userName}' is not an auditor");
        }

        if (request.PartyIndex is not null && role != SessionRole.Member)
        {
            throw new ModelValidationException("partyIndex", "only members belong to a party");
        }

        if (session.Members.Any(m => m.UserId == user.Id))
        {
            throw SessionException.Conflict($"'{userName}' is already part of this session.");
        }

        var membership = new SessionMembership { SessionId = id, UserId = user.Id, Role = role, PartyIndex = party, AddedUtc = time.GetDatabaseUtcNow() };
        db.Memberships.Add(membership);
        session.Version++; // a change of the session like any other: a live state of it loaded before is stale now (ADR 0012)
        await AuditLog.AppendAsync(db, AuditChain.ForSession(id), caller.UserName, AuditEvents.MemberAdded,
            new { userId = user.Id, userName = user.UserName, role, partyIndex = party }, membership.AddedUtc, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new MemberView(user.Id, user.UserName ?? "", user.DisplayName, role, party);
    }

    public async Task<SessionDetail> OpenAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        await OpenDraftAsync(caller, id, cancellationToken);

        return await GetAsync(caller, id, cancellationToken);
    }

    private async Task OpenDraftAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        var session = await LoadForWriteAsync(caller, id, cancellationToken);
        if (session.State != SessionState.Draft)
        {
            throw SessionException.Conflict($"The session is already {session.State}.");
        }

        session.State = SessionState.Open;
        session.Version++;
        await AuditLog.AppendAsync(db, AuditChain.ForSession(id), caller.UserName, AuditEvents.SessionOpened, new { }, time.GetDatabaseUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<SessionDetail> CloseAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        await CloseSessionAsync(caller, id, cancellationToken);

        return await GetAsync(caller, id, cancellationToken);
    }

    private async Task CloseSessionAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        var session = await LoadForWriteAsync(caller, id, cancellationToken);
        if (session.State is SessionState.Closed)
        {
            throw SessionException.Conflict("The session is already closed.");
        }

        if (await db.Rounds.AnyAsync(r => r.SessionId == id && r.State == RoundState.Open, cancellationToken))
        {
            throw SessionException.Conflict("A round is open; close it first.");
        }

        session.State = SessionState.Closed;
        session.Version++;
        await AuditLog.AppendAsync(db, AuditChain.ForSession(id), caller.UserName, AuditEvents.SessionClosed, new { }, time.GetDatabaseUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<Page<SessionSummary>> ListAsync(Caller caller, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(pageSize ?? 20, 1, 100);
        var index = Paging.Page(page, size);
        var query = db.Sessions.AsNoTracking();
        if (!caller.IsAdmin && !caller.CanAudit)
        {
            query = query.Where(s => s.CreatedById == caller.UserId || s.Members.Any(m => m.UserId == caller.UserId));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            // Sessions made in the same instant need a total order, or pages may overlap
            // (PostgreSQL does not return ties in insertion order).
            .OrderByDescending(s => s.CreatedUtc).ThenBy(s => s.Id)
            .Skip((index - 1) * size).Take(size)
            .Select(s => new
            {
                s.Id, s.Name, s.State, s.BidMode, Parties = s.Parties.Count, s.CurrentRound, s.CreatedUtc,
                Mine = s.Members.Where(m => m.UserId == caller.UserId).Select(m => new { m.Role, m.PartyIndex }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var items = rows.Select(r => new SessionSummary(r.Id, r.Name, r.State, r.BidMode, r.Parties, r.CurrentRound, r.CreatedUtc, r.Mine?.Role, r.Mine?.PartyIndex)).ToList();
        return new Page<SessionSummary>(items, index, size, total);
    }

    public async Task<SessionDetail> GetAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        var session = await LoadForReadAsync(caller, id, cancellationToken);
        var period = PeriodProblem.Of(session, session.CurrentPeriod);
        var (strengths, problem, target) = (period.Strengths, period.Problem, period.Target);
        var userIds = session.Members.Select(m => m.UserId).ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => (u.UserName ?? "", u.DisplayName), cancellationToken);
        var rounds = await db.Rounds.AsNoTracking().Where(r => r.SessionId == id).OrderBy(r => r.Number)
            .Select(r => new RoundSummary(r.Number, r.State, r.OpenedUtc, r.DeadlineUtc, r.ClosedUtc, r.CloseReason, r.Compatible, r.NashEfficiency, r.Distance))
            .ToListAsync(cancellationToken);
        var mine = session.Members.FirstOrDefault(m => m.UserId == caller.UserId);
        return new SessionDetail(
            session.Id, session.Name, session.Description, session.State, session.BidMode, session.Pool, session.TangiblePool,
            session.RoundDeadlineSeconds, session.AutoConcessionLambda, session.RevisionLambda, session.CurrentPeriod, session.CurrentRound,
            session.Parties.OrderBy(p => p.Index).Select(p => new PartyView(p.Index, p.Name, p.Category, p.UtilityKind, p.UtilityParameter, p.Disagreement)).ToList(),
            session.Factors.OrderBy(f => f.Index).Select(f => new FactorView(f.Index, f.Name, f.Weight)).ToList(),
            session.FactorMatrixJson is null ? null : JsonSerializer.Deserialize<double[][]>(session.FactorMatrixJson),
            strengths,
            problem.Powers,
            target.Allocation,
            session.Members.OrderBy(m => m.Role).ThenBy(m => m.PartyIndex)
                .Select(m => new MemberView(m.UserId, names.GetValueOrDefault(m.UserId).Item1 ?? "", names.GetValueOrDefault(m.UserId).Item2 ?? "", m.Role, m.PartyIndex)).ToList(),
            rounds,
            session.CreatedUtc,
            mine?.Role,
            mine?.PartyIndex);
    }

    /// <summary>Loads a session with parties, factors, strengths and members, if the caller may read it.</summary>
    public async Task<NegotiationSession> LoadForReadAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        var session = await Load(id, cancellationToken) ?? throw SessionException.NotFound(id);
        if (!SessionAccess.CanRead(caller, session))
        {
            throw SessionException.NotFound(id);
        }

        return session;
    }

    /// <summary>
    /// Loads a session the caller coordinates, to change it. Every change moves the session's
    /// version (its concurrency token): a concurrent change, or the live session's next write from
    /// the state it had before (ADR 0012), then fails and is decided again on fresh data.
    /// </summary>
    public async Task<NegotiationSession> LoadForWriteAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        var session = await LoadForReadAsync(caller, id, cancellationToken);
        SessionAccess.RequireCoordinator(caller, session);
        return session;
    }

    private Task<NegotiationSession?> Load(Guid id, CancellationToken cancellationToken) =>
        db.Sessions
            .Include(s => s.Parties.OrderBy(p => p.Index))
            .Include(s => s.Factors.OrderBy(f => f.Index))
            .Include(s => s.Strengths)
            .Include(s => s.Members)
            .AsSplitQuery()
            .FirstOrDefaultAsync(s => s.Id == id, cancellationToken);

    /// <summary>Gives <paramref name="session"/> the definition: its settings, and its parties and factors merged by index.</summary>
    private static void Apply(NegotiationDbContext db, NegotiationSession session, SessionDefinition setup)
    {
        session.Name = setup.Name;
        session.Description = setup.Description;
        session.Pool = setup.Pool;
        session.TangiblePool = setup.TangiblePool;
        session.BidMode = setup.BidMode;
        session.RoundDeadlineSeconds = setup.RoundDeadlineSeconds;
        session.AutoConcessionLambda = setup.AutoConcessionLambda;
        session.RevisionLambda = setup.RevisionLambda;
        session.FactorMatrixJson = setup.FactorMatrixJson;
        foreach (var p in setup.Parties)
        {
            p.SessionId = session.Id;
        }

        foreach (var f in setup.Factors)
        {
            f.SessionId = session.Id;
        }

        Merge(db, session.Parties, setup.Parties, p => p.Index);
        Merge(db, session.Factors, setup.Factors, f => f.Index);
    }

    /// <summary>
    /// Makes <paramref name="current"/> (tracked rows keyed by session and index) hold <paramref name="wanted"/>:
    /// values copied onto the row of the same index, rows of indices no longer wanted removed, new ones added.
    /// </summary>
    private static void Merge<T>(NegotiationDbContext db, List<T> current, IReadOnlyList<T> wanted, Func<T, int> index)
        where T : class
    {
        var byIndex = current.ToDictionary(index);
        foreach (var row in wanted)
        {
            if (byIndex.Remove(index(row), out var existing))
            {
                if (!ReferenceEquals(existing, row))
                {
                    db.Entry(existing).CurrentValues.SetValues(row);
                }
            }
            else
            {
                current.Add(row);
            }
        }

        foreach (var stale in byIndex.Values)
        {
            current.Remove(stale);
            db.Remove(stale);
        }
    }

    private static object SetupPayload(SessionDefinition setup) => new
    {
        setup.Name,
        setup.Description,
        setup.Pool,
        setup.TangiblePool,
        bidMode = setup.BidMode.ToString(),
        setup.RoundDeadlineSeconds,
        setup.AutoConcessionLambda,
        setup.RevisionLambda,
        parties = setup.Parties.Select(p => new { p.Index, p.Name, category = p.Category.ToString(), utility = p.UtilityKind.ToString(), p.UtilityParameter, p.Disagreement }),
        factors = setup.Factors.Select(f => new { f.Index, f.Name, f.Weight }),
        strengths = setup.Strengths,
    };

    private static IEnumerable<StrengthReading> Readings(Guid sessionId, int period, double[][] strengths, Caller caller, DateTime now) =>
        strengths.SelectMany((row, i) => row.Select((value, p) => new StrengthReading
        {
            SessionId = sessionId, Period = period, PartyIndex = i, FactorIndex = p, Value = value, RecordedUtc = now, RecordedById = caller.UserId,
        }));
}

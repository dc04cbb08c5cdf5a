using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Bargaining.Revisions;
using NegotiationHub.Bargaining.Rounds;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data.Entities;
using NegotiationHub.Server.Live;

namespace NegotiationHub.Server.Agreements;

/// <summary>
/// A session's contract after agreement: reading it, revising its intangible shares toward the
/// optimum of a strength period (MODEL §5), and setting its tangible shares (MODEL §7).
/// </summary>
/// <remarks>
/// Concurrency: every write runs under the session's lock (one writer per session in this node)
/// and names the revision it starts from (<c>expectedRevision</c>); a stale one is refused with a
/// 409. Across nodes, the contract's and the session's concurrency tokens turn a lost race into a
/// <see cref="DbUpdateConcurrencyException"/>, also a 409. Either way the loser's transaction —
/// revision record, contract update, audit entry, sequence — is not written, and the winner's
/// revision is kept, so nothing is lost. Broadcasts leave only after the commit.
/// </remarks>
public sealed class ContractService(
    IDbContextFactory<NegotiationDbContext> dbFactory,
    IGrainFactory grains,
    ISessionRooms rooms,
    TimeProvider time,
    ILogger<ContractService> log)
{
    public async Task<ContractDetails> GetAsync(Caller caller, Guid sessionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var session = await SessionLoads.LoadAsync(db, sessionId, cancellationToken);
        if (!SessionAccess.CanRead(caller, session))
        {
            throw SessionException.NotFound(sessionId);
        }

        var contract = await db.Contracts.AsNoTracking().FirstOrDefaultAsync(c => c.SessionId == sessionId, cancellationToken)
            ?? throw new SessionException(SessionErrorKind.NotFound, "The session has no contract yet: a round that reaches agreement makes it.");
        return await DetailsAsync(db, session, contract, cancellationToken);
    }

    /// <summary>
    /// MODEL §5: moves the shares toward s*, the NBS shares under the period's strengths — by
    /// <c>s + λ(s* − s)</c>, or to a proposed s' that lies between s and s* for every party.
    /// </summary>
    public async Task<ContractDetails> ReviseAsync(Caller caller, Guid sessionId, ContractRevisionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var session = await LoadForWriteAsync(db, caller, sessionId, cancellationToken);
        var expected = ExpectedRevision(request.ExpectedRevision);
        if (request.ProposedShares is not null && request.Lambda is not null)
        {
            throw new ModelValidationException("lambda", "give either lambda (to propose s + λ(s* − s)) or proposedShares (to check a revision), not both");
        }

        var lambda = request.ProposedShares is null
            ? ConcessionRule.ValidateLambda(request.Lambda ?? session.RevisionLambda)
            : (double?)null;
        if (request.Period is { } requested)
        {
            if (requested < 0 || requested > session.CurrentPeriod)
            {
                throw new ModelValidationException("period", $"must lie in [0, {session.CurrentPeriod}]: {session.CurrentPeriod} is the session's current period (record strengths for a later one first)");
            }
        }

        var (contract, current) = await LoadContractAsync(db, session, expected, cancellationToken);
        var period = request.Period ?? session.CurrentPeriod;
        RequirePeriod(session, period, current.Period);

        var periodProblem = PeriodProblem.Of(session, period);
        var (strengths, problem) = (periodProblem.Strengths, periodProblem.Problem);
        var optimum = periodProblem.Target.Shares.ToArray();
        var shares = Shares(contract.SharesJson);
        double[] revised;
        if (lambda is { } l)
        {
            revised = ContractRevision.PartialAdjustment(shares, optimum, l);
        }
        else
        {
            var proposed = ContractRevision.ValidateShares(request.ProposedShares, "proposedShares", shares.Length);
            ContractRevision.RequireValid(shares, optimum, proposed);
            // Σ s' = 1 within 1e-6 was accepted; the contract keeps an exact split.
            var sum = proposed.Sum();
            revised = [.. proposed.Select(s => s / sum)];
        }

        var check = ContractRevision.Check(shares, optimum, revised);
        var now = time.GetDatabaseUtcNow();
        var record = NextRecord(contract, ContractRevisionKind.Revision, period, caller, now);
        record.SharesJson = JsonSerializer.Serialize(revised);
        record.OptimumJson = JsonSerializer.Serialize(optimum);
        record.PowersJson = JsonSerializer.Serialize(problem.Powers);
        record.StrengthsJson = JsonSerializer.Serialize(strengths);
        record.Lambda = lambda;
        contract.SharesJson = record.SharesJson;
        await AuditLog.AppendAsync(db, AuditChain.ForSession(sessionId), caller.UserName, AuditEvents.ContractRevised, new
        {
            contractId = contract.Id,
            revision = record.Number,
            fromRevision = current.Number,
            period,
            previousShares = shares,
            shares = revised,
            optimum,
            powers = problem.Powers,
            strengths,
            lambda,
            proposed = lambda is null,
            distanceBefore = check.DistanceBefore,
            distanceAfter = check.DistanceAfter,
        }, now, cancellationToken);

        return await CommitAndBroadcastAsync(db, session, contract, record, optimum, cancellationToken);
    }

    /// <summary>MODEL §7: computes the combined tangible shares and makes them a revision of the contract.</summary>
    public async Task<TangibleSharesResponse> SetTangibleSharesAsync(Caller caller, Guid sessionId, TangibleSharesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var session = await LoadForWriteAsync(db, caller, sessionId, cancellationToken);
        var expected = ExpectedRevision(request.ExpectedRevision);
        var (contract, current) = await LoadContractAsync(db, session, expected, cancellationToken);
        var tangible = CombinedTangibleShares.Compute(request, session.Parties.Count, session.TangiblePool);

        // The intangible side is unchanged: the record repeats the revision in force.
        var now = time.GetDatabaseUtcNow();
        var record = NextRecord(contract, ContractRevisionKind.Tangible, current.Period, caller, now);
        record.SharesJson = current.SharesJson;
        record.OptimumJson = current.OptimumJson;
        record.PowersJson = current.PowersJson;
        record.StrengthsJson = current.StrengthsJson;
        record.TangibleSharesJson = JsonSerializer.Serialize(tangible.Shares);
        contract.TangibleSharesJson = record.TangibleSharesJson;
        await AuditLog.AppendAsync(db, AuditChain.ForSession(sessionId), caller.UserName, AuditEvents.TangibleSharesSet, new
        {
            contractId = contract.Id,
            revision = record.Number,
            fromRevision = current.Number,
            request = new { request.Cost, request.Risk, request.Effort, request.Weights },
            result = tangible,
            tangiblePool = session.TangiblePool,
        }, now, cancellationToken);

        var details = await CommitAndBroadcastAsync(db, session, contract, record, Shares(current.OptimumJson), cancellationToken);
        return new TangibleSharesResponse(details, tangible);
    }

    /// <summary>The next revision record of <paramref name="contract"/>, which it also makes current.</summary>
    private static ContractRevisionRecord NextRecord(Contract contract, ContractRevisionKind kind, int period, Caller caller, DateTime now)
    {
        var record = new ContractRevisionRecord
        {
            ContractId = contract.Id,
            Number = contract.CurrentRevision + 1,
            Kind = kind.ToString(),
            Period = period,
            TangibleSharesJson = contract.TangibleSharesJson,
            CreatedUtc = now,
            CreatedById = caller.UserId,
        };
        contract.CurrentRevision = record.Number;
        contract.Version++;
        contract.Revisions.Add(record);
        return record;
    }

    private async Task<ContractDetails> CommitAndBroadcastAsync(
        NegotiationDbContext db, NegotiationSession session, Contract contract, ContractRevisionRecord record, IReadOnlyList<double> optimum, CancellationToken cancellationToken)
    {
        // Like every session message, the broadcast takes the session's next sequence number in
        // the same transaction; the session's concurrency token catches a writer on another node.
        session.Version++;
        var sequence = ++session.Sequence;
        var loadedVersion = contract.Version - 1;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw await ConflictAsync(contract.Id, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node may have inserted the same revision number (or audit sequence) first.
            if (!await ChangedSinceAsync(contract.Id, loadedVersion, cancellationToken))
            {
                throw;
            }

            throw await ConflictAsync(contract.Id, cancellationToken);
        }

        // The live session repeats the latest sequence in presence messages, and loads the session again.
        await grains.GetGrain<ILiveSession>(session.Id).Changed(sequence);
        log.LogInformation("Session {SessionId} contract {ContractId} revision {Revision} ({Kind})", session.Id, contract.Id, record.Number, record.Kind);
        await rooms.Room(session.Id).ContractRevised(new ContractRevised
        {
            SessionId = session.Id,
            Sequence = sequence,
            Contract = new ContractView
            {
                ContractId = contract.Id,
                Revision = record.Number,
                Shares = Shares(record.SharesJson),
                TangibleShares = record.TangibleSharesJson is null ? null : Shares(record.TangibleSharesJson),
                EffectiveUtc = SessionMessages.Utc(record.CreatedUtc),
            },
            OptimalShares = optimum,
        });
        return await DetailsAsync(db, session, contract, cancellationToken);
    }

    private async Task<bool> ChangedSinceAsync(Guid contractId, long version, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Contracts.AsNoTracking().AnyAsync(c => c.Id == contractId && c.Version != version, cancellationToken);
    }

    private async Task<SessionException> ConflictAsync(Guid contractId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = await db.Contracts.AsNoTracking().Where(c => c.Id == contractId).Select(c => c.CurrentRevision).FirstAsync(cancellationToken);
        return SessionException.Conflict(
            $"The contract or its session changed while this revision was being saved (the contract is now at revision {now}); nothing was saved. Reload the contract and revise from revision {now}.");
    }

    private static async Task<NegotiationSession> LoadForWriteAsync(NegotiationDbContext db, Caller caller, Guid sessionId, CancellationToken cancellationToken)
    {
        var session = await SessionLoads.LoadAsync(db, sessionId, cancellationToken);
        if (!SessionAccess.CanRead(caller, session))
        {
            throw SessionException.NotFound(sessionId);
        }

        SessionAccess.RequireCoordinator(caller, session);
        return session;
    }

    /// <summary>The contract (tracked) and its revision in force, if it exists and the caller revises from that revision.</summary>
    private static async Task<(Contract Contract, ContractRevisionRecord Current)> LoadContractAsync(
        NegotiationDbContext db, NegotiationSession session, int expectedRevision, CancellationToken cancellationToken)
    {
        var contract = await db.Contracts.FirstOrDefaultAsync(c => c.SessionId == session.Id, cancellationToken)
            ?? throw SessionException.Conflict("The session has no contract yet: a round must reach agreement before the contract can be revised.");
        if (session.State == SessionState.Closed)
        {
            throw SessionException.Conflict("The session is closed; its contract can no longer be revised.");
        }

        if (contract.CurrentRevision != expectedRevision)
        {
            throw SessionException.Conflict(
                $"The contract is at revision {contract.CurrentRevision}, not {expectedRevision}: it was revised meanwhile. Reload it and revise from revision {contract.CurrentRevision}.");
        }

        var current = await db.ContractRevisions.AsNoTracking()
            .SingleAsync(r => r.ContractId == contract.Id && r.Number == contract.CurrentRevision, cancellationToken);
        return (contract, current);
    }

    private static int ExpectedRevision(int? value) => value switch
    {
        null => throw new ModelValidationException("expectedRevision", "is required: the revision you are revising from (the contract's \"revision\")"),
        < 0 => throw new ModelValidationException("expectedRevision", "must be 0 or more: the revision you are revising from"),
        { } revision => revision,
    };

    /// <summary>A revision moves toward the optimum of a period that has strengths and is not older than the one in force.</summary>
    private static void RequirePeriod(NegotiationSession session, int period, int periodInForce)
    {
        if (period < periodInForce)
        {
            throw new ModelValidationException("period", $"must not be before period {periodInForce}, whose strengths the contract's current revision already reflects");
        }

        if (!session.Strengths.Any(r => r.Period == period))
        {
            var recorded = session.Strengths.Select(r => r.Period).Distinct().Order();
            throw new ModelValidationException("period", $"has no strength readings (periods with readings: {string.Join(", ", recorded)}); record the period's strengths first");
        }
    }

    private static async Task<ContractDetails> DetailsAsync(NegotiationDbContext db, NegotiationSession session, Contract contract, CancellationToken cancellationToken)
    {
        var records = await db.ContractRevisions.AsNoTracking()
            .Where(r => r.ContractId == contract.Id)
            .OrderBy(r => r.Number)
            .ToListAsync(cancellationToken);
        var userIds = records.Where(r => r.CreatedById is not null).Select(r => r.CreatedById!).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName, cancellationToken);
        var revisions = records.Select(r => new ContractRevisionView(
            r.Number,
            Enum.Parse<ContractRevisionKind>(r.Kind),
            r.Period,
            Shares(r.SharesJson),
            r.TangibleSharesJson is null ? null : Shares(r.TangibleSharesJson),
            Shares(r.OptimumJson),
            Shares(r.PowersJson),
            r.StrengthsJson is null ? null : JsonSerializer.Deserialize<double[][]>(r.StrengthsJson),
            r.Lambda,
            SessionMessages.Utc(r.CreatedUtc),
            r.CreatedById is null ? null : names.GetValueOrDefault(r.CreatedById) ?? r.CreatedById)).ToList();
        var inForce = revisions.Single(r => r.Number == contract.CurrentRevision);
        var shares = Shares(contract.SharesJson);
        var tangible = contract.TangibleSharesJson is null ? null : Shares(contract.TangibleSharesJson);
        return new ContractDetails(
            contract.Id,
            session.Id,
            contract.RoundNumber,
            contract.CurrentRevision,
            inForce.Period,
            shares,
            [.. shares.Select(s => s * session.Pool)],
            inForce.OptimalShares,
            tangible,
            tangible?.Select(s => s * session.TangiblePool).ToArray(),
            session.Pool,
            session.TangiblePool,
            revisions);
    }

    private static double[] Shares(string json) => JsonSerializer.Deserialize<double[]>(json) ?? [];
}

using Microsoft.AspNetCore.SignalR;
using NegotiationHub.Contracts;

namespace NegotiationHub.Client.Tests.TestServer;

/// <summary>
/// A stand-in for the real hub: it implements the contract with canned answers, enough to
/// exercise the client over a real WebSocket. Implementing <see cref="INegotiationHub"/> also
/// checks that the contract can be served by a <c>Hub&lt;INegotiationClient&gt;</c>.
/// </summary>
internal sealed class EchoNegotiationHub(ServerState state, TimeProvider clock) : Hub<INegotiationClient>, INegotiationHub
{
    public static readonly DateTimeOffset FixedTime = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public override Task OnConnectedAsync()
    {
        state.Connected(Context);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        state.Disconnected(Context);
        return Task.CompletedTask;
    }

    public async Task<SessionSnapshot> JoinSession(Guid sessionId)
    {
        state.CountJoin();
        if (state.TakeJoinRefusal())
        {
            throw new HubException(state.JoinRefusal);
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(sessionId));
        return Snapshot(sessionId, state.CurrentSequence(sessionId), clock.GetUtcNow());
    }

    public Task LeaveSession(Guid sessionId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(sessionId));

    public async Task<BidAck> SubmitBid(Guid sessionId, BidSubmission bid)
    {
        if (!double.IsFinite(bid.Demand) || bid.Demand < 0)
        {
            throw new HubException($"demand: must be a finite number ≥ 0, was {bid.Demand}.");
        }

        if (state.StallBids)
        {
            await Task.Delay(Timeout.Infinite, Context.ConnectionAborted);
        }

        var (ack, isNew) = state.Commit(sessionId, bid);
        if (isNew)
        {
            await Clients.Group(GroupOf(sessionId)).BidAccepted(new BidAccepted
            {
                SessionId = sessionId,
                Sequence = ack.Sequence,
                Round = bid.Round,
                PartyIndex = ack.PartyIndex,
                BidId = bid.BidId,
                Demand = bid.Demand,
                Proposal = bid.Proposal,
            });
        }

        return ack;
    }

    public async Task<RoundOpened> OpenRound(Guid sessionId, int deadlineSeconds)
    {
        var now = clock.GetUtcNow();
        var opened = new RoundOpened
        {
            SessionId = sessionId,
            Sequence = state.NextSequence(sessionId),
            Round = 1,
            OpenedUtc = now,
            DeadlineUtc = now.AddSeconds(deadlineSeconds),
        };
        await Clients.Group(GroupOf(sessionId)).RoundOpened(opened);
        return opened;
    }

    public async Task<RoundClosed> CloseRound(Guid sessionId)
    {
        var closed = new RoundClosed
        {
            SessionId = sessionId,
            Sequence = state.NextSequence(sessionId),
            Analysis = Analysis(FixedTime),
        };
        await Clients.Group(GroupOf(sessionId)).RoundClosed(closed);
        return closed;
    }

    public static string GroupOf(Guid sessionId) => $"session:{sessionId:N}";

    /// <summary>A two-party round with linear utilities, K = 100, h = (0.6, 0.4): k* = (60, 40).</summary>
    public static RoundAnalysisView Analysis(DateTimeOffset closedUtc) => new()
    {
        Round = 1,
        ClosedUtc = closedUtc,
        Parties =
        [
            new PartyRoundView { PartyIndex = 0, Power = 0.6, Demand = 70, FearOfBreakdown = 70, Ratio = 70 / 0.6, Target = 60, AutoConceded = false },
            new PartyRoundView { PartyIndex = 1, Power = 0.4, Demand = 45, FearOfBreakdown = 45, Ratio = 45 / 0.4, Target = 40, AutoConceded = true },
        ],
        Gap = 15,
        Compatible = false,
        MustConcede = [0],
        Distance = 0.15,
        NashEfficiency = 0.97,
        RatioSpread = 0.035,
    };

    public static SessionSnapshot Snapshot(Guid sessionId, long sequence, DateTimeOffset now) => new()
    {
        SessionId = sessionId,
        Sequence = sequence,
        Name = "Test alliance",
        State = SessionState.Open,
        BidMode = BidMode.Open,
        Pool = 100,
        Parties =
        [
            new PartyView { Index = 0, Name = "City", Category = PartyCategory.Government, Power = 0.6, DisagreementPoint = 0 },
            new PartyView { Index = 1, Name = "Lab", Category = PartyCategory.University, Power = 0.4, DisagreementPoint = 5 },
        ],
        OwnPartyIndex = 0,
        CurrentRound = new RoundView
        {
            Round = 2,
            State = RoundState.Open,
            OpenedUtc = FixedTime,
            DeadlineUtc = FixedTime.AddMinutes(5),
            Bids = [new RoundBidView { PartyIndex = 0, Demand = 65 }, new RoundBidView { PartyIndex = 1 }],
        },
        Rounds = [Analysis(FixedTime)],
        Online = [new MemberPresence { UserName = "alice", PartyIndex = 0 }, new MemberPresence { UserName = "coordinator" }],
        ServerTimeUtc = now,
    };
}

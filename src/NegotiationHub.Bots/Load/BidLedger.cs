using System.Collections.Concurrent;
using System.Diagnostics;
using NegotiationHub.Bots.Bidding;
using NegotiationHub.Contracts;

namespace NegotiationHub.Bots.Load;

/// <summary>One bid as the load driver saw it.</summary>
public sealed class BidEntry
{
    /// <summary>The session (or echo group).</summary>
    public required Guid SessionId { get; init; }

    /// <summary>The party that bid.</summary>
    public required int PartyIndex { get; init; }

    /// <summary>The bid sent.</summary>
    public required BidSubmission Bid { get; init; }

    /// <summary>When it was sent (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public required long SentTicks { get; init; }

    /// <summary>The acknowledgement, once received.</summary>
    public BidAck? Ack { get; set; }

    /// <summary>Why the bid failed, if it did.</summary>
    public Exception? Error { get; set; }
}

/// <summary>One latency sample: when the round's last bid was sent (from the run's first bid), the round, and the latency.</summary>
public readonly record struct LatencySample(TimeSpan Sent, int Round, double Milliseconds);

/// <summary>
/// Everything the load driver measures, filled from many connections at once: each bid sent and
/// acknowledged (as the bots' <see cref="IBidObserver"/>), each broadcast received and when.
/// </summary>
public sealed class BidLedger : IBidObserver
{
    private readonly ConcurrentDictionary<Guid, BidEntry> _bids = new();
    private readonly ConcurrentDictionary<(Guid Session, int Round), ConcurrentBag<long>> _roundClosedReceipts = new();
    private readonly ConcurrentDictionary<(Guid Session, int Round), RoundAnalysisView> _analyses = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentBag<long>> _echoReceipts = new();
    private readonly ConcurrentDictionary<Guid, AgreementView> _agreements = new();

    /// <summary>Every bid sent.</summary>
    public ICollection<BidEntry> Bids => _bids.Values;

    /// <inheritdoc />
    public void BidSent(Guid sessionId, int partyIndex, BidSubmission bid)
    {
        ArgumentNullException.ThrowIfNull(bid);
        _bids[bid.BidId] = new BidEntry { SessionId = sessionId, PartyIndex = partyIndex, Bid = bid, SentTicks = Stopwatch.GetTimestamp() };
    }

    /// <inheritdoc />
    public void BidAcknowledged(BidAck ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        _bids[ack.BidId].Ack = ack;
    }

    /// <inheritdoc />
    public void BidFailed(Guid sessionId, int partyIndex, BidSubmission bid, Exception error)
    {
        ArgumentNullException.ThrowIfNull(bid);
        _bids[bid.BidId].Error = error;
    }

    /// <summary>A member connection received a round's <see cref="RoundClosed"/> now.</summary>
    public void RoundClosedReceived(RoundClosed message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = Stopwatch.GetTimestamp();
        var key = (message.SessionId, message.Analysis.Round);
        _roundClosedReceipts.GetOrAdd(key, _ => []).Add(now);
        _analyses.TryAdd(key, message.Analysis);
    }

    /// <summary>A member connection received a session's <see cref="AgreementReached"/>.</summary>
    public void AgreementReceived(AgreementReached message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _agreements.TryAdd(message.SessionId, message.Agreement);
    }

    /// <summary>Rounds some member saw closed, over all sessions.</summary>
    public int RoundsClosed => _analyses.Count;

    /// <summary>Sessions some member saw reach agreement.</summary>
    public int SessionsAgreed => _agreements.Count;

    /// <summary>An echo connection received a bid's echo now.</summary>
    public void EchoReceived(BidAccepted message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = Stopwatch.GetTimestamp();
        _echoReceipts.GetOrAdd(message.BidId, _ => []).Add(now);
    }

    /// <summary>How many echoes of a bid have arrived (over every connection of its group).</summary>
    public int EchoesOf(Guid bidId) => _echoReceipts.TryGetValue(bidId, out var receipts) ? receipts.Count : 0;

    /// <summary>The analysis of a round as broadcast, if any member received it.</summary>
    public RoundAnalysisView? Analysis(Guid sessionId, int round) => _analyses.GetValueOrDefault((sessionId, round));

    /// <summary>
    /// Latency samples in milliseconds: for every round, from the moment its last bid was sent to
    /// each receipt of the broadcast that bid caused — <c>RoundClosed</c> on the negotiation hub,
    /// the bid's echo on the echo hub. (The last bid's acknowledgement itself arrives after the
    /// broadcast, because the server closes the round inside that bid's call.)
    /// </summary>
    public IReadOnlyList<double> LatenciesMilliseconds(bool echo) => [.. Latencies(echo).Select(s => s.Milliseconds)];

    /// <summary>The samples of <see cref="LatenciesMilliseconds"/> with when their last bid was sent and their round.</summary>
    public IReadOnlyList<LatencySample> Latencies(bool echo)
    {
        var samples = new List<LatencySample>();
        var first = _bids.IsEmpty ? 0 : _bids.Values.Min(b => b.SentTicks);
        foreach (var round in _bids.Values.Where(b => b.Ack is not null).GroupBy(b => (b.SessionId, b.Bid.Round)))
        {
            var last = round.MaxBy(b => b.SentTicks)!;
            var receipts = echo
                ? _echoReceipts.GetValueOrDefault(last.Bid.BidId)
                : _roundClosedReceipts.GetValueOrDefault(round.Key);
            foreach (var received in receipts ?? [])
            {
                samples.Add(new LatencySample(Stopwatch.GetElapsedTime(first, last.SentTicks), round.Key.Round, Stopwatch.GetElapsedTime(last.SentTicks, received).TotalMilliseconds));
            }
        }

        return samples;
    }
}

using System.Collections.Concurrent;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Rounds;

/// <summary>Who is connected to which session, by connection (in memory; presence is not history).</summary>
public sealed class Presence
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, MemberPresence>> _sessions = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, byte>> _connections = new();

    public void Join(Guid sessionId, string connectionId, MemberPresence who)
    {
        _sessions.GetOrAdd(sessionId, _ => new())[connectionId] = who;
        _connections.GetOrAdd(connectionId, _ => new())[sessionId] = 0;
    }

    public bool Leave(Guid sessionId, string connectionId)
    {
        var removed = _sessions.TryGetValue(sessionId, out var members) && members.TryRemove(connectionId, out _);
        if (_connections.TryGetValue(connectionId, out var sessions))
        {
            sessions.TryRemove(sessionId, out _);
        }

        return removed;
    }

    /// <summary>Removes a closed connection everywhere; returns the sessions it was in.</summary>
    public IReadOnlyList<Guid> Disconnect(string connectionId)
    {
        if (!_connections.TryRemove(connectionId, out var sessions))
        {
            return [];
        }

        foreach (var sessionId in sessions.Keys)
        {
            if (_sessions.TryGetValue(sessionId, out var members))
            {
                members.TryRemove(connectionId, out _);
            }
        }

        return [.. sessions.Keys];
    }

    public bool IsIn(Guid sessionId, string connectionId) =>
        _sessions.TryGetValue(sessionId, out var members) && members.ContainsKey(connectionId);

    /// <summary>Whether any connection to this node has joined the session (the node is, for now, the session's home).</summary>
    public bool HasConnections(Guid sessionId) =>
        _sessions.TryGetValue(sessionId, out var members) && !members.IsEmpty;

    /// <summary>Distinct users online in a session.</summary>
    public IReadOnlyList<MemberPresence> Online(Guid sessionId) =>
        _sessions.TryGetValue(sessionId, out var members)
            ? members.Values.DistinctBy(m => m.UserName).OrderBy(m => m.PartyIndex ?? int.MaxValue).ThenBy(m => m.UserName, StringComparer.Ordinal).ToList()
            : [];
}

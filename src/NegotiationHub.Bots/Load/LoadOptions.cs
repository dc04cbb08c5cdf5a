namespace NegotiationHub.Bots.Load;

/// <summary>What the load driver sets up and how hard it drives it.</summary>
public sealed record LoadOptions
{
    /// <summary>The server's base address (the driver is meant for 127.0.0.1).</summary>
    public required Uri Server { get; init; }

    /// <summary>N, the sessions to set up and run (1 … 10,000).</summary>
    public int Sessions { get; init; } = 10;

    /// <summary>Parties per session (2 … 16; 4 uses the 3+1 template).</summary>
    public int Parties { get; init; } = 4;

    /// <summary>About how often each party bids: after a round opens, each party waits this long, jittered over [½, 1½]×.</summary>
    public TimeSpan BidInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The sessions' first rounds open spread evenly over this long (session k of N at k/N of it),
    /// as independent alliances start at different moments; zero opens them all in one instant,
    /// which makes the first rounds' bids arrive as one burst.
    /// </summary>
    public TimeSpan Ramp { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Sessions (or echo groups) run first in the same process, on the same accounts, and not
    /// measured: both the server and this driver are then past their first seconds of unoptimized
    /// (tier-0) code and just-in-time compilation, as long-running processes are. Zero: measure cold.
    /// </summary>
    public int WarmupSessions { get; init; }

    /// <summary>
    /// Before the bidding, wait until the server's JIT has compiled no method for this long
    /// (<see cref="JitQuiet"/>; at most <see cref="JitQuietLimit"/>), so that the figures measure the
    /// bids and not the tiered recompilation of the set-up's hot methods. Zero: do not wait.
    /// </summary>
    public TimeSpan JitQuiet { get; init; }

    /// <summary>The longest wait for <see cref="JitQuiet"/>; the run then goes on and says so.</summary>
    public TimeSpan JitQuietLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The rounds limit of a session (and, with <see cref="Echo"/>, the rounds each group runs).</summary>
    public int MaxRounds { get; init; } = 30;

    /// <summary>λ of the parties' converging toward-NBS strategy.</summary>
    public double Lambda { get; init; } = 0.3;

    /// <summary>Drive the bare echo hub instead of the negotiation hub.</summary>
    public bool Echo { get; init; }

    /// <summary>The server's process id, to read its resident memory; null when unknown.</summary>
    public int? ServerPid { get; init; }

    /// <summary>An administrator (creates the load's accounts).</summary>
    public string AdminUser { get; init; } = "admin";

    /// <summary>The administrator's password.</summary>
    public required string AdminPassword { get; init; }

    /// <summary>Sessions per coordinator connection: each opens about one round per <see cref="BidInterval"/> per session, inside the hub's default rate limit.</summary>
    public int SessionsPerCoordinatorConnection { get; init; } = 10;

    /// <summary>The traffic stops after this long whatever happens.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(170);

    /// <summary>A CSV file to write every latency sample to (seconds from the first bid sent, ms, round), or null.</summary>
    public string? LatencyCsv { get; init; }

    /// <summary>Progress lines; nothing when null.</summary>
    public Action<string>? Log { get; init; }
}

using NegotiationHub.Bots.Strategies;
using NegotiationHub.Client;

namespace NegotiationHub.Bots.Bidding;

/// <summary>Who runs a <see cref="SessionRun"/>: a coordinator and one member per party, all with one password (the demo's accounts by default).</summary>
public sealed record SessionRunSettings
{
    /// <summary>The demo accounts' password (seeded by the server's <c>--demo</c>).</summary>
    public const string DemoPassword = "negotiate-2026";

    /// <summary>The server's base address.</summary>
    public required Uri Server { get; init; }

    /// <summary>The session's coordinator.</summary>
    public string Coordinator { get; init; } = "coordinator";

    /// <summary>One member per party, in party order (the demo's Government, Enterprise, University, Innovator).</summary>
    public IReadOnlyList<string> Members { get; init; } = ["gov", "ent", "uni", "inn"];

    /// <summary>The password of the coordinator and every member.</summary>
    public string Password { get; init; } = DemoPassword;

    /// <summary>The session; null takes the coordinator's newest open session, preferring one named "demo".</summary>
    public Guid? SessionId { get; init; }

    /// <summary>One strategy per member, in the same order.</summary>
    public required IReadOnlyList<IConcessionStrategy> Strategies { get; init; }

    /// <summary>The rounds limit of the coordinator and the bots.</summary>
    public int MaxRounds { get; init; } = 30;

    /// <summary>Each round's deadline in seconds.</summary>
    public int RoundDeadlineSeconds { get; init; } = 30;

    /// <summary>How long each bot thinks before bidding.</summary>
    public TimeSpan BidDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Where the bots and the coordinator print; nothing when null.</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>How a <see cref="SessionRun"/> ended.</summary>
public sealed record SessionRunResult
{
    /// <summary>The session run.</summary>
    public required SessionOutcome Session { get; init; }

    /// <summary>Each party's bot, in party order.</summary>
    public required IReadOnlyList<BotOutcome> Bots { get; init; }
}

/// <summary>
/// A whole session driven from one process: signs in the coordinator and one member per party,
/// joins a <see cref="PartyBot"/> for each member, then lets a <see cref="RoundConductor"/> open
/// rounds until agreement or the rounds limit. This is <c>run-demo</c> (on the seeded demo session).
/// </summary>
public static class SessionRun
{
    /// <summary>Runs the session to its end.</summary>
    /// <exception cref="HubAccountException">A sign-in or REST call was refused.</exception>
    /// <exception cref="InvalidOperationException">No open session was found, or a member is not in a party of it.</exception>
    public static async Task<SessionRunResult> RunAsync(SessionRunSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Strategies.Count != settings.Members.Count)
        {
            throw new ArgumentException($"{settings.Members.Count} members need as many strategies, not {settings.Strategies.Count}.", nameof(settings));
        }

        using var coordinator = await HubAccount.SignInAsync(settings.Server, settings.Coordinator, settings.Password, cancellationToken).ConfigureAwait(false);
        var sessionId = settings.SessionId ?? await FindOpenSessionAsync(coordinator, cancellationToken).ConfigureAwait(false);
        var accounts = new List<HubAccount>();
        var clients = new List<NegotiationHubClient>();
        try
        {
            foreach (var member in settings.Members)
            {
                accounts.Add(await HubAccount.SignInAsync(settings.Server, member, settings.Password, cancellationToken).ConfigureAwait(false));
            }

            var chairClient = coordinator.CreateHubClient();
            clients.Add(chairClient);
            await chairClient.StartAsync(cancellationToken).ConfigureAwait(false);
            var bots = new List<PartyBot>();
            var running = new List<Task<BotOutcome>>();
            for (var i = 0; i < accounts.Count; i++)
            {
                var client = accounts[i].CreateHubClient();
                clients.Add(client);
                await client.StartAsync(cancellationToken).ConfigureAwait(false);
                var name = accounts[i].UserName;
                var bot = new PartyBot(client, sessionId, settings.Strategies[i], new PartyBotOptions
                {
                    MaxRounds = settings.MaxRounds,
                    BidDelay = settings.BidDelay,
                    Log = settings.Log is { } log ? line => log($"[{name}] {line}") : null,
                });
                bots.Add(bot);
                running.Add(bot.RunAsync(cancellationToken));
            }

            // Every bot is in the room before the first round opens, so none misses its RoundOpened.
            await Task.WhenAll(bots.Select(b => b.Joined)).WaitAsync(cancellationToken).ConfigureAwait(false);
            var conductor = new RoundConductor(chairClient, [sessionId], new ConductorOptions
            {
                MaxRounds = settings.MaxRounds,
                RoundDeadlineSeconds = settings.RoundDeadlineSeconds,
                Log = settings.Log is { } chairLog ? line => chairLog($"[{settings.Coordinator}] {line}") : null,
            });
            var session = (await conductor.RunAsync(cancellationToken).ConfigureAwait(false))[0];
            return new SessionRunResult { Session = session, Bots = await Task.WhenAll(running).ConfigureAwait(false) };
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var account in accounts)
            {
                account.Dispose();
            }
        }
    }

    private static async Task<Guid> FindOpenSessionAsync(HubAccount coordinator, CancellationToken cancellationToken)
    {
        var page = await coordinator.GetAsync("/api/sessions?pageSize=100", cancellationToken).ConfigureAwait(false);
        var open = page.GetProperty("items").EnumerateArray()
            .Where(s => string.Equals(s.GetProperty("state").GetString(), "open", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(s => s.GetProperty("name").GetString()?.Contains("demo", StringComparison.OrdinalIgnoreCase) == true)
            .ToList();
        return open.Count > 0
            ? open[0].GetProperty("id").GetGuid()
            : throw new InvalidOperationException($"'{coordinator.UserName}' has no open session: start the server with --demo on a fresh database, or pass --session.");
    }
}

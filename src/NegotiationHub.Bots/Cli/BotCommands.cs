using System.CommandLine;
using System.Globalization;
using NegotiationHub.Bots.Bidding;
using NegotiationHub.Bots.Load;
using NegotiationHub.Bots.Strategies;

namespace NegotiationHub.Bots.Cli;

/// <summary>
/// The command line: <c>bot</c> (one party), <c>run-demo</c> (the demo session with four bots and
/// the coordinator) and <c>load</c> (the load driver). Parsing only; the work is in
/// <see cref="PartyBot"/>, <see cref="SessionRun"/> and <see cref="LoadDriver"/>.
/// </summary>
public static class BotCommands
{
    /// <summary>Every run is bounded: a run that has not ended by then is cancelled.</summary>
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The entry point.</summary>
    public static async Task<int> Main(string[] args) => await Parse(args).InvokeAsync().ConfigureAwait(false);

    /// <summary>The command line parsed: what <see cref="Main"/> runs, or the errors it prints (each naming its option) and exits 1 on.</summary>
    internal static ParseResult Parse(string[] args)
    {
        var server = new Option<Uri>("--server")
        {
            Description = "The server's base address, e.g. http://127.0.0.1:5000",
            Required = true,
            Recursive = true,
            CustomParser = result =>
            {
                if (Uri.TryCreate(result.Tokens[^1].Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    return uri;
                }

                result.AddError($"'{result.Tokens[^1].Value}' is not an http(s) address.");
                return null;
            },
        };
        var root = new RootCommand("NegotiationHub bots: parties that bid with a concession strategy, the demo runner and the load driver.") { server };
        root.Add(BotCommand(server));
        root.Add(DemoCommand(server));
        root.Add(LoadCommand(server));
        return root.Parse(args);
    }

    private static Command BotCommand(Option<Uri> server)
    {
        var user = new Option<string>("--user") { Description = "A member of one party of the session", Required = true };
        var password = new Option<string>("--password") { Description = "The member's password", Required = true };
        var session = new Option<Guid>("--session") { Description = "The session's id", Required = true };
        var party = new Option<int?>("--party") { Description = "The party expected (the server decides it from the membership; a mismatch stops the bot)" };
        var strategy = StrategyOption("--strategy", "toward-nbs");
        var tuning = new StrategyOptions();
        var maxRounds = MaxRoundsOption();
        var command = new Command("bot", "Joins a session as one party and bids each round the coordinator opens, until agreement.")
        {
            user, password, session, party, strategy, maxRounds,
        };
        tuning.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var timeout = Bounded(cancellationToken);
            var chosen = ConcessionStrategies.Create(parse.GetValue(strategy)!, tuning.Read(parse));
            using var account = await HubAccount.SignInAsync(parse.GetValue(server)!, parse.GetValue(user)!, parse.GetValue(password)!, timeout.Token).ConfigureAwait(false);
            await using var client = account.CreateHubClient();
            await client.StartAsync(timeout.Token).ConfigureAwait(false);
            var bot = new PartyBot(client, parse.GetValue(session), chosen, new PartyBotOptions { MaxRounds = parse.GetValue(maxRounds), Log = Console.WriteLine });
            var running = bot.RunAsync(timeout.Token);
            await bot.Joined.ConfigureAwait(false);
            if (parse.GetValue(party) is { } expected && expected != bot.PartyIndex)
            {
                await Console.Error.WriteLineAsync($"'{account.UserName}' bids for party {bot.PartyIndex}, not {expected}.").ConfigureAwait(false);
                return 1;
            }

            Console.WriteLine($"{account.UserName}: party {bot.PartyIndex}, strategy {chosen.Name}, session {bot.SessionId}");
            var outcome = await running.ConfigureAwait(false);
            return outcome.Ending == BotEnding.Agreed ? 0 : 2;
        });
        return command;
    }

    private static Command DemoCommand(Option<Uri> server)
    {
        var session = new Option<Guid?>("--session") { Description = "The session (default: the coordinator's open demo session)" };
        var coordinator = new Option<string>("--coordinator") { Description = "The coordinator", DefaultValueFactory = _ => "coordinator" };
        var members = new Option<string>("--members") { Description = "One member per party, comma-separated, in party order", DefaultValueFactory = _ => "gov,ent,uni,inn" };
        var password = new Option<string>("--password") { Description = "The password of all of them", DefaultValueFactory = _ => SessionRunSettings.DemoPassword };
        var strategies = new Option<string>("--strategies")
        {
            Description = $"One strategy per member, comma-separated ({string.Join(", ", ConcessionStrategies.Names)})",
            DefaultValueFactory = _ => "toward-nbs,boulware,conceder,toward-nbs",
        };
        var tuning = new StrategyOptions();
        var maxRounds = MaxRoundsOption();
        var delay = new Option<double>("--bid-delay") { Description = "Seconds each bot thinks before bidding", DefaultValueFactory = _ => 0.5 };
        var command = new Command("run-demo", "Runs a session (the seeded demo by default) to agreement with one bot per party and the coordinator opening rounds.")
        {
            session, coordinator, members, password, strategies, maxRounds, delay,
        };
        tuning.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var timeout = Bounded(cancellationToken);
            var settings = tuning.Read(parse);
            var result = await SessionRun.RunAsync(new SessionRunSettings
            {
                Server = parse.GetValue(server)!,
                SessionId = parse.GetValue(session),
                Coordinator = parse.GetValue(coordinator)!,
                Members = Split(parse.GetValue(members)!),
                Password = parse.GetValue(password)!,
                Strategies = [.. Split(parse.GetValue(strategies)!).Select(name => ConcessionStrategies.Create(name, settings))],
                MaxRounds = parse.GetValue(maxRounds),
                BidDelay = TimeSpan.FromSeconds(parse.GetValue(delay)),
                Log = Console.WriteLine,
            }, timeout.Token).ConfigureAwait(false);
            if (result.Session.Agreement is { } agreement)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Agreement in round {agreement.Round}: allocation [{string.Join(", ", agreement.Allocation.Select(k => k.ToString("F2", CultureInfo.InvariantCulture)))}], contract {agreement.ContractId}"));
                return 0;
            }

            Console.WriteLine($"No agreement after {result.Session.Rounds} rounds.");
            return 2;
        });
        return command;
    }

    private static Command LoadCommand(Option<Uri> server)
    {
        var sessions = new Option<int>("--sessions") { Description = "Sessions to set up and run", DefaultValueFactory = _ => 10 };
        var parties = new Option<int>("--parties") { Description = "Parties per session (the 3+1 template: 4)", DefaultValueFactory = _ => 4 };
        var interval = DurationOption("--bid-interval", "About how often each party bids, e.g. 1s or 250ms", "1s");
        var ramp = DurationOption("--ramp", "Open the sessions' first rounds spread over this long, e.g. 1s; 0 opens them all at once (one burst of first bids)", "1s");
        var warmup = new Option<int>("--warmup-sessions") { Description = "Sessions (echo groups) to run first in this process, not measured: past the JIT's first seconds", DefaultValueFactory = _ => 0 };
        var jitQuiet = DurationOption("--jit-quiet", "Before each run's bidding, wait until the server's JIT has compiled nothing for this long (at most 30 s), e.g. 1s; 0: do not wait", "1s");
        var latencyCsv = new Option<string?>("--latency-csv") { Description = "Write every latency sample to this CSV file (sent_s, round, latency_ms); with --pairs, the first pair's, the echo run's to FILE-echo.csv" };
        var maxRounds = MaxRoundsOption();
        var lambda = new Option<double>("--lambda") { Description = "λ of the parties' toward-nbs strategy", DefaultValueFactory = _ => 0.3 };
        var echo = new Option<bool>("--echo") { Description = "Drive the bare echo hub (/hubs/echo, Hub:EnableEchoHub=true) instead: the floor" };
        var serverPid = new Option<int?>("--server-pid") { Description = "The server's process id, to read its memory (VmRSS in /proc/PID/status) before and after connecting" };
        var admin = new Option<string>("--admin-user") { Description = "An administrator, to create the load's accounts", DefaultValueFactory = _ => "admin" };
        var adminPassword = new Option<string>("--admin-password") { Description = "The administrator's password", DefaultValueFactory = _ => SessionRunSettings.DemoPassword };
        var seconds = new Option<int>("--timeout") { Description = "Stop the traffic after this many seconds whatever happens", DefaultValueFactory = _ => 170 };
        var header = new Option<bool>("--table-header") { Description = "Print the Markdown table's header before the row" };
        var pairs = new Option<int>("--pairs")
        {
            Description = "Run this many negotiation/echo pairs one after the other on the server (--echo is then ignored) and print each pair's ratios and their medians; 0: one run",
            DefaultValueFactory = _ => 0,
        };
        pairs.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 20)
            {
                result.AddError("--pairs must be between 0 and 20.");
            }
        });
        var echoRounds = new Option<int>("--echo-rounds") { Description = "With --pairs: the echo runs' rounds (--max-rounds is the negotiation's bound)", DefaultValueFactory = _ => 16 };
        var command = new Command("load", "Sets up N sessions, connects N×parties members and bids about once per interval per party until agreement; reports throughput, latency, lost and duplicated bids and memory.")
        {
            sessions, parties, interval, ramp, warmup, jitQuiet, latencyCsv, maxRounds, lambda, echo, serverPid, admin, adminPassword, seconds, header, pairs, echoRounds,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new LoadOptions
            {
                Server = parse.GetValue(server)!,
                Sessions = parse.GetValue(sessions),
                Parties = parse.GetValue(parties),
                BidInterval = parse.GetValue(interval),
                Ramp = parse.GetValue(ramp),
                WarmupSessions = parse.GetValue(warmup),
                JitQuiet = parse.GetValue(jitQuiet),
                LatencyCsv = parse.GetValue(latencyCsv),
                MaxRounds = parse.GetValue(maxRounds),
                Lambda = parse.GetValue(lambda),
                Echo = parse.GetValue(echo),
                ServerPid = parse.GetValue(serverPid),
                AdminUser = parse.GetValue(admin)!,
                AdminPassword = parse.GetValue(adminPassword)!,
                Timeout = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                Log = line => Console.Error.WriteLine(line),
            };
            if (parse.GetValue(header))
            {
                Console.WriteLine(LoadReport.MarkdownHeader);
            }

            if (parse.GetValue(pairs) is > 0 and var count)
            {
                var reports = await LoadDriver.RunPairsAsync(
                    options with { Echo = false },
                    options with { Echo = true, MaxRounds = parse.GetValue(echoRounds), LatencyCsv = options.LatencyCsv is { } csv ? Path.ChangeExtension(csv, null) + "-echo.csv" : null },
                    count,
                    report => Console.WriteLine(report.MarkdownRow()),
                    cancellationToken).ConfigureAwait(false);
                Console.WriteLine();
                Console.WriteLine(LoadPairs.Markdown(reports));
                return reports.All(r => r.LostBids == 0 && r.DuplicatedBids == 0) ? 0 : 3;
            }

            var single = await LoadDriver.RunAsync(options, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(single.MarkdownRow());
            return single.LostBids == 0 && single.DuplicatedBids == 0 ? 0 : 3;
        });
        return command;
    }

    private static Option<string> StrategyOption(string name, string defaultValue)
    {
        var option = new Option<string>(name) { Description = $"The concession strategy: {string.Join(", ", ConcessionStrategies.Names)}", DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong([.. ConcessionStrategies.Names]);
        return option;
    }

    private static Option<int> MaxRoundsOption() =>
        new("--max-rounds") { Description = "Stop after this many rounds without agreement", DefaultValueFactory = _ => 30 };

    private static CancellationTokenSource Bounded(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(DefaultTimeout);
        return source;
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The longest duration an option takes: a day.</summary>
    private const double MaxDurationSeconds = 24 * 3600;

    /// <summary>Reads <c>1s</c>, <c>250ms</c>, <c>1.5s</c> or a number of seconds.</summary>
    /// <exception cref="FormatException">Not such a duration, negative, or over a day.</exception>
    internal static TimeSpan ParseDuration(string text) =>
        TryParseDuration(text, out var duration) ? duration : throw new FormatException($"'{text}' is not a duration from 0 to 1 day such as 1s or 250ms.");

    /// <summary>Reads <c>1s</c>, <c>250ms</c>, <c>1.5s</c> or a number of seconds, from 0 to a day; false for anything else.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var value = text.Trim();
        var (number, scale) = value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (value[..^2], 0.001)
            : value.EndsWith('s') ? (value[..^1], 1.0)
            : (value, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || !double.IsFinite(amount) || amount < 0 || amount * scale > MaxDurationSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(amount * scale);
        return true;
    }

    /// <summary>An option that takes a duration (<see cref="TryParseDuration"/>); anything else is a parse error naming the option.</summary>
    private static Option<TimeSpan> DurationOption(string name, string description, string defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => ParseDuration(defaultValue),
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return ParseDuration(defaultValue);
            }

            var text = result.Tokens[^1].Value;
            if (TryParseDuration(text, out var duration))
            {
                return duration;
            }

            result.AddError($"{name}: '{text}' is not a duration from 0 to 1 day such as 1s or 250ms.");
            return default;
        },
    };

    /// <summary>The strategy knobs shared by <c>bot</c> and <c>run-demo</c>.</summary>
    private sealed class StrategyOptions
    {
        private readonly Option<double> _lambda = new("--lambda") { Description = "toward-nbs: the fraction λ of the way to the NBS target moved per round", DefaultValueFactory = _ => 0.5 };
        private readonly Option<double?> _beta = new("--beta") { Description = "boulware (β < 1, default 0.3) / conceder (β > 1, default 3): the concession exponent" };
        private readonly Option<int> _deadline = new("--deadline-round") { Description = "boulware/conceder: the round by which the reservation demand d_i is bid", DefaultValueFactory = _ => 10 };
        private readonly Option<double> _opening = new("--opening") { Description = "The opening demand as a fraction of [d_i, K] (1: the whole pool)", DefaultValueFactory = _ => 1 };

        public void AddTo(Command command)
        {
            command.Add(_lambda);
            command.Add(_beta);
            command.Add(_deadline);
            command.Add(_opening);
        }

        public StrategySettings Read(ParseResult parse) => new()
        {
            Lambda = parse.GetValue(_lambda),
            Beta = parse.GetValue(_beta),
            Deadline = parse.GetValue(_deadline),
            Opening = parse.GetValue(_opening),
        };
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NegotiationHub.Bargaining.Utilities;
using NegotiationHub.Data;
using NegotiationHub.Data.Entities;
using NegotiationHub.Server.Accounts;
using NegotiationHub.Server.Calculators;
using NegotiationHub.Server.Sessions;
using NegotiationHub.Server.Live;

namespace NegotiationHub.Server.Hosting;

/// <summary>What runs once at start: migrations, roles, the first admin, demo data.</summary>
public static class StartupTasks
{
    /// <summary>The demo accounts' shared password (printed at first start; demo data only).</summary>
    public const string DemoPassword = "negotiate-2026";

    public static async Task InitializeAsync(this WebApplication app, bool demo)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("NegotiationHub.Startup");
        var db = services.GetRequiredService<NegotiationDbContext>();
        await DatabaseSetup.MigrateAsync(db);

        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        await RoleGrants.AdoptExistingAsync(services.GetRequiredService<IDbContextFactory<NegotiationDbContext>>(), services.GetRequiredService<TimeProvider>(), CancellationToken.None);
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var admin = services.GetRequiredService<IOptions<AdminOptions>>().Value;
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count == 0)
        {
            if (admin.UserName is { Length: > 0 } && admin.Password is { Length: > 0 })
            {
                await CreateUserAsync(services, admin.UserName, admin.Password, admin.DisplayName, Roles.Admin);
                log.LogInformation("Created the first administrator '{UserName}' from configuration.", admin.UserName);
            }
            else if (!demo)
            {
                log.LogWarning("No administrator exists and Admin:UserName/Admin:Password are not configured.");
            }
        }

        if (demo && !await db.Sessions.AnyAsync())
        {
            var text = await SeedDemoAsync(services, users);
            Console.WriteLine(text);
        }
    }

    private static async Task<AppUser> CreateUserAsync(IServiceProvider services, string userName, string password, string displayName, string role)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = userName, DisplayName = displayName };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create '{userName}': {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }

        await RoleGrants.GrantAsync(services.GetRequiredService<IDbContextFactory<NegotiationDbContext>>(), services.GetRequiredService<TimeProvider>(),
            "system", Data.Audit.AuditEvents.UserCreated, user, role, CancellationToken.None);
        return user;
    }

    /// <summary>
    /// The demo: a 3+1 session whose strengths come from seed 001, table 1 (2015 technology
    /// contracts registered in Beijing, Tianjin and Hebei: contracts and value exported, contracts
    /// and value absorbed). Government ← Beijing, Enterprise ← Tianjin, University ← Hebei; the
    /// innovator, a newcomer with no row of its own, gets the geometric mean of the three rows.
    /// The pool K is the region's 2015 contract value, 4031.7 亿元 (seed 001 §1).
    /// </summary>
    private static async Task<string> SeedDemoAsync(IServiceProvider services, UserManager<AppUser> users)
    {
        var admin = await users.FindByNameAsync("admin") ?? await CreateUserAsync(services, "admin", DemoPassword, "Administrator 管理员", Roles.Admin);
        var coordinator = await CreateUserAsync(services, "coordinator", DemoPassword, "3+1 Coordination body 协调机构", Roles.Coordinator);
        string[] memberNames = ["gov", "ent", "uni", "inn"];
        var members = new List<AppUser>();
        foreach (var name in memberNames)
        {
            members.Add(await CreateUserAsync(services, name, DemoPassword, name, Roles.Member));
        }

        var auditor = await CreateUserAsync(services, "auditor", DemoPassword, "Auditor 审计", Roles.Auditor);

        double[] beijing = [72306, 3453.89, 50140, 1147.53];
        double[] tianjin = [12449, 503.43, 9439, 330.71];
        double[] hebei = [3298, 39.54, 5989, 145.31];
        var innovator = beijing.Select((_, p) => Math.Round(Math.Cbrt(beijing[p] * tianjin[p] * hebei[p]), 2)).ToArray();

        var sessions = services.GetRequiredService<SessionService>();
        var caller = new Caller(coordinator.Id, coordinator.UserName!, new HashSet<string> { Roles.Coordinator });
        var detail = await sessions.CreateAsync(caller, new SessionSetupRequest
        {
            Name = "京津冀协同创新联盟 Beijing–Tianjin–Hebei innovation alliance (demo)",
            Description = "Strengths: seed 001 table 1 (2015 technology-contract registrations). Pool: 4031.7 亿元.",
            Template = SessionTemplate.ThreePlusOne,
            Parties =
            [
                new PartyRequest { Name = "Government 政府", Utility = new UtilitySpec { Kind = UtilityKind.Linear }, Disagreement = 200 },
                new PartyRequest { Name = "Enterprise 企业", Utility = new UtilitySpec { Kind = UtilityKind.Power, Alpha = 0.8 }, Disagreement = 300 },
                new PartyRequest { Name = "University / Research institute 高校/科研院所", Utility = new UtilitySpec { Kind = UtilityKind.Log, Scale = 1000 }, Disagreement = 100 },
                new PartyRequest { Name = "Innovator 创新者", Utility = new UtilitySpec { Kind = UtilityKind.Exponential, Rho = 0.0005 }, Disagreement = 50 },
            ],
            Factors =
            [
                new FactorRequest { Name = "Technology contracts exported 输出技术合同数" },
                new FactorRequest { Name = "Value exported 输出成交额 (亿元)" },
                new FactorRequest { Name = "Technology contracts absorbed 吸纳技术合同数" },
                new FactorRequest { Name = "Value absorbed 吸纳成交额 (亿元)" },
            ],
            Strengths = [beijing, tianjin, hebei, innovator],
            Pool = 4031.7,
            TangiblePool = 350,
            RoundDeadlineSeconds = 120,
        }, CancellationToken.None);

        for (var i = 0; i < members.Count; i++)
        {
            await sessions.AddMemberAsync(caller, detail.Id, new MemberRequest { UserName = members[i].UserName, PartyIndex = i }, CancellationToken.None);
        }

        await sessions.AddMemberAsync(caller, detail.Id, new MemberRequest { UserName = auditor.UserName, Role = SessionRole.Auditor }, CancellationToken.None);
        await sessions.OpenAsync(caller, detail.Id, CancellationToken.None);

        return $"""
            ================ NegotiationHub demo data ================
            Demo session: {detail.Name}
              id {detail.Id}
            Accounts (password for all: {DemoPassword}):
              admin        Admin
              coordinator  Coordinator (runs the demo session)
              gov, ent, uni, inn   Members for Government, Enterprise, University, Innovator
              auditor      Auditor
            ===========================================================
            """;
    }
}

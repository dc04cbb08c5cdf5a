using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Sessions;

/// <summary>The "3+1" coordination body template (MODEL notation; seed 000).</summary>
public static class SessionTemplate
{
    public const string ThreePlusOne = "3+1";

    /// <summary>Government, enterprise, university/research institute, innovator.</summary>
    public static IReadOnlyList<(string Name, PartyCategory Category)> Parties { get; } =
    [
        ("Government 政府", PartyCategory.Government),
        ("Enterprise 企业", PartyCategory.Enterprise),
        ("University / Research institute 高校/科研院所", PartyCategory.University),
        ("Innovator 创新者", PartyCategory.Innovator),
    ];

    /// <summary>MODEL §1's factors.</summary>
    public static IReadOnlyList<string> Factors { get; } =
    [
        "Innovation capability 创新能力",
        "Market size 市场规模",
        "Value of resources invested 投入资源价值",
        "Dependence on the alliance 对联盟的依赖程度",
        "Cooperation position 合作地位",
    ];
}

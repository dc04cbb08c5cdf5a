using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Ahp;

/// <summary>A leaf of an indicator tree: something experts score or compare.</summary>
/// <param name="Id">Stable identifier (camelCase, unique within its tree); safe to store and to use as a JSON key.</param>
/// <param name="Name">English name.</param>
/// <param name="ChineseName">The name in the source paper (seed 000), in Chinese.</param>
public sealed record Indicator(string Id, string Name, string ChineseName);

/// <summary>A criterion of an indicator tree and its indicators.</summary>
/// <param name="Id">Stable identifier (camelCase, unique within its tree).</param>
/// <param name="Name">English name.</param>
/// <param name="ChineseName">The name in the source paper (seed 000), in Chinese.</param>
/// <param name="Indicators">The indicators under this criterion, in the paper's order.</param>
public sealed record Criterion(string Id, string Name, string ChineseName, IReadOnlyList<Indicator> Indicators);

/// <summary>An indicator's weight within its criterion and against the goal.</summary>
/// <param name="CriterionId">The criterion's <see cref="Criterion.Id"/>.</param>
/// <param name="IndicatorId">The indicator's <see cref="Indicator.Id"/>.</param>
/// <param name="LocalWeight">Weight within the criterion.</param>
/// <param name="GlobalWeight">Criterion weight × local weight (MODEL §6).</param>
public sealed record IndicatorWeight(string CriterionId, string IndicatorId, double LocalWeight, double GlobalWeight);

/// <summary>A two-level criteria tree (criteria → indicators) of MODEL §6.</summary>
/// <param name="Id">Stable identifier of the tree.</param>
/// <param name="Name">English name.</param>
/// <param name="ChineseName">The table title in the source paper (seed 000), in Chinese.</param>
/// <param name="Criteria">The criteria, in the paper's order.</param>
public sealed record IndicatorTree(string Id, string Name, string ChineseName, IReadOnlyList<Criterion> Criteria)
{
    /// <summary>Global weights of every indicator, in tree order (<see cref="AhpHierarchy.GlobalWeights"/>).</summary>
    /// <param name="criterionWeights">One weight per criterion of this tree, summing to 1.</param>
    /// <param name="localWeights">Per criterion, one weight per indicator of that criterion, summing to 1.</param>
    /// <exception cref="ModelValidationException">
    /// As <see cref="AhpHierarchy.GlobalWeights"/>, plus <c>criterionWeights</c> / <c>localWeights[c]</c>
    /// when a count does not match the tree.
    /// </exception>
    public IReadOnlyList<IndicatorWeight> GlobalWeights(
        IReadOnlyList<double>? criterionWeights,
        IReadOnlyList<IReadOnlyList<double>>? localWeights)
    {
        Guard.Length(criterionWeights, "criterionWeights", Criteria.Count, "criterion");
        var locals = Guard.Length(localWeights, "localWeights", Criteria.Count, "criterion");
        for (var c = 0; c < Criteria.Count; c++)
        {
            Guard.Length(locals[c], $"localWeights[{c}]", Criteria[c].Indicators.Count, $"indicator of criterion {Criteria[c].Id}");
        }

        var global = AhpHierarchy.GlobalWeights(criterionWeights, localWeights);
        var result = new List<IndicatorWeight>();
        for (var c = 0; c < Criteria.Count; c++)
        {
            for (var k = 0; k < Criteria[c].Indicators.Count; k++)
            {
                result.Add(new IndicatorWeight(Criteria[c].Id, Criteria[c].Indicators[k].Id, locals[c][k], global[c][k]));
            }
        }

        return result.AsReadOnly();
    }
}

/// <summary>
/// The indicator trees shipped as templates (MODEL §6; seed 000 tables 2 and 3). Ids are stable:
/// stored weights and scores refer to them.
/// </summary>
public static class IndicatorTemplates
{
    /// <summary>Cost/input criteria for the cost-based share (seed 000 table 2, 综合有形利益分配准则与指标).</summary>
    public static IndicatorTree CostInputs { get; } = Tree(
        "costInputs", "Integrated criteria and indicators of tangible benefit allocation", "综合有形利益分配准则与指标",
        Node("intangibleInputs", "Intangible asset inputs", "无形资产投入",
            new Indicator("rdStaffCost", "R&D staff cost", "研发人员成本"),
            new Indicator("patents", "Patents contributed", "专利投入数量"),
            new Indicator("nonPatentKnowHow", "Non-patent technology (know-how)", "非专利技术投入")),
        Node("tangibleInputs", "Tangible asset inputs", "有形资产投入",
            new Indicator("capital", "Capital invested", "资金投入成本"),
            new Indicator("infrastructure", "Infrastructure", "基础设施"),
            new Indicator("rdEquipment", "R&D equipment", "研发设备"),
            new Indicator("production", "Production cost", "生产化成本"),
            new Indicator("productization", "Productization cost", "产品化成本"),
            new Indicator("commercialization", "Commercialization (marketing) cost", "商业化成本(营销成本)"),
            new Indicator("technologyTransfer", "Technology transfer and customer acquisition", "技术转让和蓄客")));

    /// <summary>
    /// Risk criteria for the risk-based share (seed 000 table 3, 基于风险的有形利益分配准则与指标): the
    /// paper's B1–B3 and C1–C10, in order.
    /// </summary>
    public static IndicatorTree Risks { get; } = Tree(
        "risks", "Risk-based criteria and indicators of tangible benefit allocation", "基于风险的有形利益分配准则与指标",
        Node("market", "Market risk", "市场风险",
            new Indicator("marketCompetition", "Degree of market competition", "市场竞争程度"),
            new Indicator("technicalProgress", "Technical progress", "技术进步"),
            new Indicator("marketChange", "Change of the market environment", "市场环境变化")),
        Node("technical", "Technical risk", "技术风险",
            new Indicator("technologyMaturity", "Technology maturity", "技术成熟度"),
            new Indicator("technologyComplexity", "Technology complexity", "技术复杂度"),
            new Indicator("technologyRelatedness", "Technology relatedness", "技术相关度")),
        Node("cooperation", "Cooperation risk", "合作风险",
            new Indicator("cultureAndManagementGap", "Differences in culture and management systems", "文化、管理体制差异"),
            new Indicator("knowledgeExchange", "Knowledge and information exchange", "知识、信息交流"),
            new Indicator("trust", "Degree of trust", "信任度"),
            new Indicator("geographicDistance", "Geographic distance", "地理位置差异")));

    /// <summary>Every template, by <see cref="IndicatorTree.Id"/> order of declaration.</summary>
    public static IReadOnlyList<IndicatorTree> All { get; } = Array.AsReadOnly([CostInputs, Risks]);

    private static IndicatorTree Tree(string id, string name, string chineseName, params Criterion[] criteria) =>
        new(id, name, chineseName, Array.AsReadOnly(criteria));

    private static Criterion Node(string id, string name, string chineseName, params Indicator[] indicators) =>
        new(id, name, chineseName, Array.AsReadOnly(indicators));
}

namespace NegotiationHub.Server.Calculators;

/// <summary>
/// One worked request per calculator, shown in OpenAPI as the request body's example (the README's
/// curl examples use the same inputs). A test posts each one and expects a 200, so they cannot rot.
/// </summary>
public static class CalculatorExamples
{
    /// <summary>The example request body (JSON) of each calculator, by its route name.</summary>
    public static IReadOnlyDictionary<string, string> Requests { get; } = new Dictionary<string, string>
    {
        ["bargaining-power"] = """{"strengths":[[2,1],[1,1],[1,2]],"weights":[0.5,0.5]}""",
        ["nash"] = """{"pool":100,"powers":[0.4,0.35,0.25],"utilities":[{"kind":"linear"},{"kind":"power","alpha":0.5},{"kind":"log","scale":50}],"disagreement":[10,5,0]}""",
        ["round"] = """{"pool":100,"powers":[0.5,0.3,0.2],"demands":[60,30,30],"lambda":0.5}""",
        ["revision"] = """{"currentShares":[0.6,0.4],"optimalShares":[0.5,0.5],"proposedShares":[0.55,0.45]}""",
        ["ahp"] = """{"matrix":[[1,3,5],[0.3333333333,1,3],[0.2,0.3333333333,1]]}""",
        ["gem"] = """{"scores":[[7,5,3],[8,4,3],[6,6,2]]}""",
        ["effort-game"] = """{"contributions":[0.6,0.5],"costCoefficients":[1,2],"shares":[0.5,0.5]}""",
        ["cost-allocation"] = """{"costs":[[[100,20],[50,0]],[[80,10],[120,5]]],"contributionDegrees":[[[1,0.5],[0.8,1]],[[0.5,1],[1,0.2]]],"rate":0.1,"pool":1000}""",
        ["risk-allocation"] = """{"marketRisks":[[0.2,0.1],[0.1,0.3]],"technicalRisks":[[0.1,0.2],[0.3,0.1]],"cooperationRisks":[[0.5,0],[0.2,0.1]],"combine":{"costShares":[0.6,0.4],"effortShares":[0.3,0.7],"lambdaCost":0.5,"lambdaRisk":0.3,"lambdaEffort":0.2}}""",
        ["spillover"] = """{"demandIntercept":100,"demandSlope":1,"baseUnitCost":40,"beta":0.6,"gamma":10,"firmCount":2,"betaPoints":11}""",
        ["symbiosis"] = """{"growthRates":[1,0.8],"capacities":[100,80],"delta":[[0,0.3],[0.5,0]],"initial":[10,10],"horizon":20,"points":5}""",
    };
}

using System.Globalization;
using System.Text.Json;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Server.Tests.Calculators;

/// <summary>
/// Issue 17: a validation problem carries, beside each English message, the rule as a stable code
/// with its figures (<c>fieldErrors</c>), which the browser translates. The oracle is each rule's
/// English wording: the code and figures must say exactly what the message says.
/// </summary>
public class FieldErrorCodeTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("""{"powers":[0.5,0.5]}""", "pool", "required")]
    [InlineData("""{"pool":"abc","powers":[0.5,0.5]}""", "pool", "type")]
    [InlineData("""{"pool":100,"powers":[0.5,"x"]}""", "powers[1]", "type")]
    [InlineData("""{"pool":-5,"powers":[0.5,0.5]}""", "pool", "range")]
    public async Task Each_broken_rule_comes_with_its_code_and_figures(string body, string field, string code)
    {
        var response = await _client.PostJsonAsync("/api/models/nash", body);
        var messages = await HttpAssert.ValidationProblemAsync(response, field);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var coded = problem.RootElement.GetProperty("fieldErrors").EnumerateArray().Single(e => e.GetProperty("field").GetString() == field);
        Assert.Equal(code, coded.GetProperty("code").GetString());
        var message = coded.GetProperty("message").GetString()!;
        Assert.Contains(message, messages);
        var args = coded.GetProperty("args").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(message, English(code, args));
    }

    [Fact]
    public async Task A_range_names_its_bounds_as_numbers_a_client_can_format()
    {
        var response = await _client.PostJsonAsync("/api/models/nash", """{"pool":-5,"powers":[0.5,0.5]}""");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var args = problem.RootElement.GetProperty("fieldErrors")[0].GetProperty("args");

        // K is a magnitude: it lies in MODEL's supported range, both ends included.
        Assert.Equal(ModelLimits.MinMagnitude, double.Parse(args.GetProperty("min").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(ModelLimits.MaxMagnitude, double.Parse(args.GetProperty("max").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal("[", args.GetProperty("lo").GetString());
        Assert.Equal("]", args.GetProperty("hi").GetString());
    }

    // Each code's English wording, written from the rule (Guard, ValidationProblems), not read from a response.
    private static string English(string code, Dictionary<string, string> a) => code switch
    {
        "required" => "is required",
        "finite" => "must be a finite number",
        "positive" => "must be greater than 0",
        "nonNegative" => "must not be negative",
        "range" => $"must lie in {a["lo"]}{a["min"]}, {a["max"]}{a["hi"]}",
        "type" => a["expected"] switch
        {
            "number" => "must be a number",
            "wholeNumber" => "must be a whole number",
            "array" => "must be an array",
            var other => throw new InvalidOperationException($"no wording for type {other}"),
        },
        _ => throw new InvalidOperationException($"no wording for {code}"),
    };
}

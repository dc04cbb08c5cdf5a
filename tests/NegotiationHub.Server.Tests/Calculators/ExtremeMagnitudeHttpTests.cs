using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using NegotiationHub.Server.Calculators;

namespace NegotiationHub.Server.Tests.Calculators;

/// <summary>
/// Issue 19 over HTTP: the calculators answer the extreme cases right, refuse what no double can
/// represent with a problem naming the field, and never put a non-finite number in a 200.
/// </summary>
public class ExtremeMagnitudeHttpTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Three_log_utilities_with_a_scale_of_1e16_get_the_NBS_not_a_cancelled_split()
    {
        var response = await _client.PostJsonAsync("/api/models/nash",
            """{"pool":100,"powers":[0.4,0.35,0.25],"utilities":[{"kind":"log","scale":1e16},{"kind":"log","scale":1e16},{"kind":"log","scale":1e16}],"disagreement":[10,5,0]}""");

        var json = await HttpAssert.OkJsonAsync(response);
        var allocation = json.GetProperty("solution").GetProperty("allocation").Doubles();
        Assert.Equal(44, allocation[0], 1e-6);
        Assert.Equal(34.75, allocation[1], 1e-6);
        Assert.Equal(21.25, allocation[2], 1e-6);
        Assert.True(double.IsFinite(json.GetProperty("solution").GetProperty("logNashProduct").GetDouble()));
    }

    [Fact]
    public async Task Bargaining_power_with_one_strength_above_the_column_sums_last_digit_is_finite()
    {
        var response = await _client.PostJsonAsync("/api/models/bargaining-power", """{"strengths":[[1e17,1],[1,1],[1,1]],"weights":[0.5,0.5]}""");

        var json = await HttpAssert.OkJsonAsync(response);
        Assert.Equal(1, json.GetProperty("power").Doubles().Sum(), 1e-12);
        Assert.All(json.GetProperty("ratios").EnumerateArray().SelectMany(r => r.EnumerateArray()), r => Assert.Equal(JsonValueKind.Number, r.ValueKind));
    }

    [Theory]
    [InlineData("nash", """{"pool":1e308,"powers":[0.5,0.5]}""", "pool")]
    [InlineData("nash", """{"pool":5e-324,"powers":[0.5,0.5]}""", "pool")]
    [InlineData("nash", """{"pool":100,"powers":[0.5,0.5],"utilities":[{"kind":"linear"},{"kind":"power","alpha":5e-324}]}""", "utilities[1].alpha")]
    [InlineData("nash", """{"pool":100,"powers":[0.5,0.5],"utilities":[{"kind":"linear"},{"kind":"log","scale":5e-324}]}""", "utilities[1].scale")]
    [InlineData("round", """{"pool":5e-324,"powers":[0.5,0.5],"demands":[1e-324,1e-324]}""", "pool")]
    [InlineData("bargaining-power", """{"strengths":[[1e300,1],[1,1]],"weights":[0.5,0.5]}""", "strengths[0][0]")]
    public async Task Inputs_outside_the_bounds_are_refused_naming_the_field(string calculator, string body, string field)
    {
        var response = await _client.PostJsonAsync($"/api/models/{calculator}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task No_calculator_answers_a_hostile_magnitude_with_a_non_finite_number_or_a_5xx()
    {
        // Every number of every calculator's example request, replaced in turn by each hostile magnitude.
        double[] hostile = [1e308, -1e308, 5e-324, 1e-300, 1e300, 0, 1e15, 1e-12];
        var failures = new List<string>();
        var requests = 0;
        foreach (var (name, example) in CalculatorExamples.Requests)
        {
            var template = JsonNode.Parse(example)!;
            var paths = NumberPaths(template, "").ToList();
            foreach (var path in paths)
            {
                foreach (var value in hostile)
                {
                    var request = template.DeepClone();
                    Set(request, path, value);
                    var response = await _client.PostJsonAsync($"/api/models/{name}", request.ToJsonString());
                    var body = await response.Content.ReadAsStringAsync();
                    requests++;
                    var status = (int)response.StatusCode;
                    if (status >= 500 || (status == 200 && HasNonFinite(body)) || status is not (200 or 400 or 422))
                    {
                        failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {path}={value:R}: {status} {body[..Math.Min(200, body.Length)]}"));
                    }
                }
            }
        }

        Assert.True(requests > 500, $"only {requests} requests");
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests}:\n{string.Join("\n", failures.Take(20))}");
    }

    private static bool HasNonFinite(string body) =>
        body.Contains("\"NaN\"", StringComparison.Ordinal) || body.Contains("Infinity\"", StringComparison.Ordinal);

    private static IEnumerable<string> NumberPaths(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    foreach (var p in NumberPaths(child, path.Length == 0 ? key : $"{path}.{key}"))
                    {
                        yield return p;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var p in NumberPaths(array[i], $"{path}[{i}]"))
                    {
                        yield return p;
                    }
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                yield return path;
                break;
        }
    }

    private static void Set(JsonNode root, string path, double value)
    {
        // path: a.b[2][0].c
        var node = root;
        var tokens = System.Text.RegularExpressions.Regex.Matches(path, @"[^.\[\]]+|\[\d+\]").Select(m => m.Value).ToList();
        for (var t = 0; t < tokens.Count; t++)
        {
            var token = tokens[t];
            var last = t == tokens.Count - 1;
            if (token.StartsWith('['))
            {
                var index = int.Parse(token[1..^1], CultureInfo.InvariantCulture);
                if (last)
                {
                    node!.AsArray()[index] = value;
                }
                else
                {
                    node = node!.AsArray()[index];
                }
            }
            else if (last)
            {
                node!.AsObject()[token] = value;
            }
            else
            {
                node = node!.AsObject()[token];
            }
        }
    }
}

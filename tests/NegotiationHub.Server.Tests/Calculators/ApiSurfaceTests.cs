using System.Net;
using System.Text.Json;

namespace NegotiationHub.Server.Tests.Calculators;

public class ApiSurfaceTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    public static TheoryData<string> Calculators =>
    [
        "bargaining-power", "nash", "round", "revision",
        "ahp", "gem", "effort-game", "cost-allocation", "risk-allocation",
        "spillover", "symbiosis",
    ];

    [Theory]
    [MemberData(nameof(Calculators))]
    public async Task OpenApi_documents_every_calculator(string name)
    {
        var json = await factory.CreateClient().GetStringAsync("/openapi/v1.json");

        using var document = JsonDocument.Parse(json);
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty($"/api/models/{name}", out var path), $"/api/models/{name} is documented");
        Assert.True(path.GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(path.GetProperty("post").GetProperty("responses").TryGetProperty("400", out _));
    }

    [Theory]
    [MemberData(nameof(Calculators))]
    public async Task OpenApi_shows_a_request_example_for_every_calculator_that_the_calculator_accepts(string name)
    {
        var client = factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var example = document.RootElement.GetProperty("paths").GetProperty($"/api/models/{name}").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal(JsonValueKind.Object, example.ValueKind);

        var response = await client.PostJsonAsync($"/api/models/{name}", example.GetRawText());
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}'s example answers {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

public sealed class TightRateLimitFactory() : ApiFactory(new Dictionary<string, string?>
{
    ["RateLimits:Models:PermitLimit"] = "3",
    ["RateLimits:Models:WindowSeconds"] = "3600",
});

public class RateLimitTests(TightRateLimitFactory factory) : IClassFixture<TightRateLimitFactory>
{
    [Fact]
    public async Task Calculators_answer_429_with_a_problem_past_the_limit()
    {
        var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            var response = await client.PostJsonAsync("/api/models/nash", """{"pool":10,"powers":[0.5,0.5]}""");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(response.Headers.RetryAfter is not null, "Retry-After is sent");
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}

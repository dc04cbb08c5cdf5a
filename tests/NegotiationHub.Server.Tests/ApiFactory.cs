using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using NegotiationHub.Testing;

namespace NegotiationHub.Server.Tests;

/// <summary>
/// The whole server in memory on a database of its own (<see cref="TestDatabase"/>: a SQLite file
/// or a PostgreSQL database, by <c>NH_TEST_DATABASE</c>), with configuration overrides per test class.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    /// <summary>This factory's database, deleted with the factory.</summary>
    public TestDatabase Storage { get; } = TestDatabase.InNewFolder();

    public ApiFactory()
        : this(new Dictionary<string, string?> { ["RateLimits:Models:PermitLimit"] = "100000" })
    {
    }

    protected ApiFactory(Dictionary<string, string?> settings) => _settings = settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Storage.ServerSettings.Concat(_settings))
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Storage.Dispose();
        }
    }
}

internal static class HttpAssert
{
    /// <summary>Asserts a 400 validation problem whose errors name <paramref name="field"/>; returns its messages.</summary>
    public static async Task<string[]> ValidationProblemAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(400, document.RootElement.GetProperty("status").GetInt32());
        var errors = document.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"expected an error for '{field}', got {errors}");
        var result = messages.EnumerateArray().Select(m => m.GetString()!).ToArray();
        Assert.NotEmpty(result);
        Assert.All(result, m => Assert.False(string.IsNullOrWhiteSpace(m)));
        return result;
    }

    public static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"expected success, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static double[] Doubles(this JsonElement element) => element.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) => client.PostAsync(url, Json(json));

    public static Task<HttpResponseMessage> PostObjectAsync(this HttpClient client, string url, object body) => client.PostAsJsonAsync(url, body);
}

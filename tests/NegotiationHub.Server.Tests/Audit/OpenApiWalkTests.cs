using System.Globalization;
using System.Text;
using System.Text.Json;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Audit;

/// <summary>
/// No 500, anywhere (issue 20, item 2): every operation of the server's own OpenAPI document is
/// called with hostile path, query and body values — as an administrator, as a coordinator with a
/// real session, and anonymously — and none answers 5xx.
/// </summary>
public sealed class OpenApiWalkTests : IAsyncLifetime
{
    private static readonly string[] HostileValues =
        ["-1", "0", "2147483647", "-2147483648", "99999999999999999999", "1e308", "NaN", "abc", "", "%00", new string('x', 3000), "00000000-0000-0000-0000-000000000000"];

    private static readonly string[] HostileBodies =
        ["{}", "null", "[]", "{\"name\":null}", "{\"pool\":1e308,\"page\":-1}", "{\"userName\":\"\",\"password\":\"\"}", "{\"deadlineSeconds\":\"x\"}", "\"text\"", "{\"a\":", "{\"round\":2147483647,\"demand\":-1e308}"];

    private LiveServer _server = null!;
    private LiveServer.Session _coordinator = null!;

    public async Task InitializeAsync()
    {
        _server = LiveServer.Start();
        _coordinator = await Negotiations.CreateUsersAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task No_operation_of_the_OpenAPI_document_answers_5xx_to_hostile_values()
    {
        var session = await Negotiations.CreateSessionAsync(_coordinator);
        var admin = await _server.SignInAsync("admin", LiveServer.AdminPassword);
        using var anonymous = _server.Anonymous();
        var document = JsonDocument.Parse(await admin.Http.GetStringAsync("/openapi/v1.json")).RootElement;
        var failures = new List<string>();
        var requests = 0;

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                if (path.Name.EndsWith("/logout", StringComparison.Ordinal))
                {
                    continue; // would sign the walker out; covered by the hardening tests
                }

                var query = operation.Value.TryGetProperty("parameters", out var parameters)
                    ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToList()
                    : [];
                foreach (var value in HostileValues)
                {
                    foreach (var client in new[] { admin.Http, _coordinator.Http, anonymous })
                    {
                        // Path ids: the real session for half the calls, the hostile value for the rest.
                        var url = FillPath(path.Name, client == _coordinator.Http ? session.ToString() : value);
                        var queryString = string.Join("&", query.Select(q => $"{q}={Uri.EscapeDataString(value)}"));
                        var target = queryString.Length == 0 ? url : $"{url}?{queryString}";
                        foreach (var body in method is "GET" or "DELETE" ? [(string?)null] : HostileBodies.Cast<string?>())
                        {
                            using var request = new HttpRequestMessage(new HttpMethod(method), target);
                            if (body is not null)
                            {
                                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                            }

                            using var response = await client.SendAsync(request);
                            requests++;
                            if ((int)response.StatusCode >= 500)
                            {
                                var text = await response.Content.ReadAsStringAsync();
                                failures.Add(string.Create(CultureInfo.InvariantCulture,
                                    $"{method} {target[..Math.Min(120, target.Length)]} body={body}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}"));
                            }
                        }
                    }
                }
            }
        }

        Assert.True(requests > 1000, $"only {requests} requests");
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} answered 5xx:\n{string.Join("\n", failures.Distinct().Take(25))}");
    }

    private static string FillPath(string template, string value)
    {
        var builder = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                builder.Append(template, i, template.Length - i);
                break;
            }

            builder.Append(template, i, open - i);
            var close = template.IndexOf('}', open);
            builder.Append(Uri.EscapeDataString(value.Length == 0 ? "x" : value));
            i = close + 1;
        }

        return builder.ToString();
    }
}

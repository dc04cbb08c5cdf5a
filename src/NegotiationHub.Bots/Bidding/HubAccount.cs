using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NegotiationHub.Client;
using NegotiationHub.Client.Transport;

namespace NegotiationHub.Bots.Bidding;

/// <summary>
/// A user signed in over REST (<c>POST /api/account/login</c>): its cookie jar, an HTTP client that
/// sends the login cookie, and hub clients that send it with the WebSocket handshake.
/// </summary>
public sealed class HubAccount : IDisposable
{
    private HubAccount(Uri server, string userName, CookieContainer cookies, HttpClient http)
    {
        Server = server;
        UserName = userName;
        Cookies = cookies;
        Http = http;
    }

    /// <summary>The server's base address.</summary>
    public Uri Server { get; }

    /// <summary>Who is signed in.</summary>
    public string UserName { get; }

    /// <summary>The login cookie (and any other the server sets).</summary>
    public CookieContainer Cookies { get; }

    /// <summary>An HTTP client on <see cref="Server"/> that sends <see cref="Cookies"/>.</summary>
    public HttpClient Http { get; }

    /// <summary>Signs in with a user name and password.</summary>
    /// <exception cref="HubAccountException">The server refused (wrong password, locked out, rate limited).</exception>
    public static async Task<HubAccount> SignInAsync(Uri server, string userName, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        var cookies = new CookieContainer();
#pragma warning disable CA2000 // the handler is owned (and disposed) by the HttpClient
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }, disposeHandler: true) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
#pragma warning restore CA2000
        try
        {
            using var response = await http.PostAsJsonAsync("/api/account/login", new { userName, password }, cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, $"sign in as '{userName}'", cancellationToken).ConfigureAwait(false);
            return new HubAccount(server, userName, cookies, http);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>A hub client that authenticates with this account's cookie; not started.</summary>
    public NegotiationHubClient CreateHubClient() =>
        new(new NegotiationHubClientOptions { ServerUri = Server, WebSocket = new WebSocketConnectionOptions { Cookies = Cookies } });

    /// <summary>Sends JSON and reads the JSON answer.</summary>
    /// <exception cref="HubAccountException">The server answered with an error.</exception>
    public async Task<JsonElement> PostAsync(string path, object? body, CancellationToken cancellationToken = default)
    {
        using var response = body is null
            ? await Http.PostAsync(new Uri(path, UriKind.Relative), null, cancellationToken).ConfigureAwait(false)
            : await Http.PostAsJsonAsync(path, body, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"POST {path}", cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a JSON resource.</summary>
    /// <exception cref="HubAccountException">The server answered with an error.</exception>
    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"GET {path}", cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => Http.Dispose();

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return document.RootElement.Clone();
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HubAccountException($"Could not {what}: {(int)response.StatusCode} {response.ReasonPhrase} {detail}");
        }
    }
}

/// <summary>The server refused a REST call of a <see cref="HubAccount"/>; the message says which and why.</summary>
public sealed class HubAccountException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HubAccountException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public HubAccountException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public HubAccountException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

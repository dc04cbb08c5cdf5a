namespace NegotiationHub.Server.Infrastructure;

/// <summary>
/// <c>Node:Name</c>: when set, every response names the node that served it in an
/// <see cref="HeaderName"/> header, so operators (and the two-node test) can see where the
/// session router sent a session (docs/decisions/0005). Unset, nothing is added.
/// </summary>
public static class NodeName
{
    /// <summary>The response header carrying the node's name.</summary>
    public const string HeaderName = "X-Node";

    /// <summary>Adds the header middleware when <c>Node:Name</c> is configured.</summary>
    public static WebApplication UseNodeNameHeader(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var name = app.Configuration["Node:Name"];
        if (!string.IsNullOrWhiteSpace(name))
        {
            app.Use((context, next) =>
            {
                context.Response.Headers[HeaderName] = name;
                return next(context);
            });
        }

        return app;
    }
}

namespace NegotiationHub.Server.Live;

/// <summary>What kind of refusal a session operation gives; the API maps it to a status code.</summary>
public enum SessionErrorKind
{
    /// <summary>No such session, or not visible to the caller (404).</summary>
    NotFound,

    /// <summary>Visible but the caller may not do this (403).</summary>
    Forbidden,

    /// <summary>The session's state does not allow it now (409).</summary>
    Conflict,
}

/// <summary>A refused session operation. Nothing was written.</summary>
public sealed class SessionException(SessionErrorKind kind, string message) : Exception(message)
{
    public SessionErrorKind Kind { get; } = kind;

    public static SessionException NotFound(Guid id) => new(SessionErrorKind.NotFound, $"Session {id} was not found, or you are not part of it.");

    public static SessionException Forbidden(string message) => new(SessionErrorKind.Forbidden, message);

    public static SessionException Conflict(string message) => new(SessionErrorKind.Conflict, message);

    public int StatusCode => Kind switch
    {
        SessionErrorKind.NotFound => StatusCodes.Status404NotFound,
        SessionErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status409Conflict,
    };

    public IResult ToProblem() => TypedResults.Problem(title: Kind switch
    {
        SessionErrorKind.NotFound => "Not found.",
        SessionErrorKind.Forbidden => "Forbidden.",
        _ => "Conflict.",
    }, detail: Message, statusCode: StatusCode);
}

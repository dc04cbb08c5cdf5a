namespace NegotiationHub.Server.Infrastructure;

/// <summary>Bounds for paged listings: a page past the last is empty, never an overflow.</summary>
public static class Paging
{
    /// <summary>The last page number a listing serves; any later one is served as this (empty) page.</summary>
    public const int MaxPage = 1_000_000;

    /// <summary>The 1-based page to serve for a requested one, so that <c>(page − 1) · size</c> fits in an int.</summary>
    public static int Page(int? requested, int size) => Math.Clamp(requested ?? 1, 1, (int)Math.Min(MaxPage, ((long)int.MaxValue / Math.Max(size, 1)) + 1));
}

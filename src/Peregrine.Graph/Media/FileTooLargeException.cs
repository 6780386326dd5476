namespace Peregrine.Graph.Media;

/// <summary>An upload passed its limit (declared size or PEREGRINE_STORAGE_MAX_BYTES) while streaming in.</summary>
public sealed class FileTooLargeException(long limit) : Exception($"file exceeds {limit} bytes")
{
    public long Limit { get; } = limit;
}

namespace Peregrine.Graph.Execution;

/// <summary>The <c>data</c> of a response as JSON per root field, written out without re-parsing.</summary>
public sealed record RawJsonData(IReadOnlyList<(string Key, JsonText Json)> Fields)
{
    /// <summary>About the bytes of this data in a response, before anything is written.</summary>
    public long Length => Fields.Sum(f => f.Json.Length + f.Key.Length + 4);
}

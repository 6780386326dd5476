namespace Peregrine.Graph.Execution;

/// <summary>The <c>data</c> of a response as JSON per root field, written out without re-parsing.</summary>
public sealed record RawJsonData(IReadOnlyList<(string Key, JsonText Json)> Fields);

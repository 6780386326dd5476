namespace Peregrine.Graph.Execution;

/// <summary>The <c>data</c> of a response as JSON text per root field, written out without re-parsing.</summary>
public sealed record RawJsonData(IReadOnlyList<(string Key, string Json)> Fields);

namespace Peregrine.Graph.Metadata;

public sealed record UniqueConstraintInfo(string Name, IReadOnlyList<string> Columns);

namespace Peregrine.Graph.Sql.Mutation;

/// <summary>The statement that writes, and when the answer needs one, the statement that reads it back.</summary>
public sealed record MutationPlan(CompiledStatement Write, Func<long, string, CompiledStatement>? ReadBack);

namespace Peregrine.Graph.Sql.Mutation;

/// <summary>The statement that writes, and when the answer needs one, the statement that reads it back.</summary>
/// <param name="Checks">
/// Role checks on the written rows, run as separate statements after the write in the same
/// transaction (rows written by a statement's CTEs are invisible to that statement). When present,
/// the write answers <c>{"checks": [[keys...], ...]}</c>, one key list per check, in order.
/// </param>
public sealed record MutationPlan(CompiledStatement Write, Func<long, string, CompiledStatement>? ReadBack,
    IReadOnlyList<(Metadata.TableInfo Table, Ir.BoolExp Check)>? Checks = null);

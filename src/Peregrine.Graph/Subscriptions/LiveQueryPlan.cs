using Peregrine.Graph.Compile;
using Peregrine.Graph.Sql;

namespace Peregrine.Graph.Subscriptions;

/// <summary>
/// What the registry knows of a live query after analysing it: what it reads (<see cref="Watch"/>) and,
/// when every root field compiles to one statement, those statements — the same ones the executor runs —
/// so that groups of one shape can be refreshed by one multiplexed statement (<see cref="MultiplexedQuery"/>).
/// </summary>
public sealed record LiveQueryPlan(LiveQueryWatch Watch, IReadOnlyList<(string Key, CompiledStatement Statement)>? Roots)
{
    public static readonly LiveQueryPlan Opaque = new(LiveQueryWatch.Everything, null);

    /// <summary>Groups with equal shapes differ only in their parameters' values.</summary>
    public string? Shape { get; } = Roots is null ? null : MultiplexedQuery.ShapeOf(Roots);
}

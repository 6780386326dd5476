using System.Text.Json.Nodes;
using Peregrine.Graph.Sql;

namespace Peregrine.Graph.Execution.Plans;

/// <summary>
/// A query operation compiled once: its response keys, the fixed JSON of keys that need no database
/// (<c>__typename</c>), and its statements, whose slot parameters are filled from the next request's variables.
/// </summary>
public sealed record QueryPlan(IReadOnlyList<string> Keys, IReadOnlyList<JsonText?> Constants, IReadOnlyList<PlannedStatement> Statements)
{
    /// <summary>The root fields' IR the statements were compiled from: each request's cost is estimated again from it (statistics change).</summary>
    public IReadOnlyList<object> Irs { get; init; } = [];
}

/// <param name="Index">The response key the statement answers.</param>
/// <param name="Statement">The statement as first compiled (its text rendered once, shared by every binding).</param>
/// <param name="Slots">Per parameter, the variable whose string value it is, or null for a fixed value.</param>
public sealed record PlannedStatement(int Index, CompiledStatement Statement, IReadOnlyList<string?> Slots)
{
    /// <summary>The statement for one request; the variables were checked to be strings when the plan was found.</summary>
    public CompiledStatement Bind(JsonObject? variables)
    {
        var values = new object?[Statement.Parameters.Count];
        for (var i = 0; i < values.Length; i++)
            values[i] = Slots[i] is { } name ? variables![name]!.GetValue<string>() : Statement.Parameters[i];
        return Statement.With(values);
    }
}

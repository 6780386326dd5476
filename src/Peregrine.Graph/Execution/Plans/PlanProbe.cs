using System.Text.Json.Nodes;
using Peregrine.Graph.Sql;

namespace Peregrine.Graph.Execution.Plans;

/// <summary>
/// Finds which parameters a string variable fills, by compiling the operation again with that variable
/// replaced by a marker: a parameter that holds the marker, and held the value before, is the variable's
/// slot. A variable that changes anything else (the SQL text, a derived value, or makes compilation fail)
/// is demoted to keying the plan by value. Statements are compared as trees (<see cref="Sql.Tree.SqlFragment.SameShape"/>).
/// </summary>
public static class PlanProbe
{
    private const string Marker = "\u0002peregrine-plan-probe\u0003";

    /// <param name="compile">Compiles the operation's statements with the given variables.</param>
    /// <returns>The plan's statements, or null when a variable was demoted (the next request caches under the new key).</returns>
    public static IReadOnlyList<PlannedStatement>? Slots(OperationPlans plans, JsonObject? variables,
        IReadOnlyList<(int Index, CompiledStatement Statement)> compiled,
        Func<JsonObject, IReadOnlyList<CompiledStatement>> compile)
    {
        var slots = compiled.Select(c => new string?[c.Statement.Parameters.Count]).ToArray();
        var demoted = false;
        foreach (var name in plans.SlotsIn(variables))
        {
            if (!Probe(name, variables!, compiled, compile, slots)) { plans.Demote(name); demoted = true; }
        }
        if (demoted) return null;
        return compiled.Select((c, i) => new PlannedStatement(c.Index, c.Statement, slots[i])).ToList();
    }

    private static bool Probe(string name, JsonObject variables, IReadOnlyList<(int Index, CompiledStatement Statement)> compiled,
        Func<JsonObject, IReadOnlyList<CompiledStatement>> compile, string?[][] slots)
    {
        var value = variables[name]!.GetValue<string>();
        var marked = new JsonObject();
        foreach (var (key, node) in variables)
            marked[key] = key == name ? JsonValue.Create(Marker) : node?.DeepClone();

        IReadOnlyList<CompiledStatement> probe;
        try { probe = compile(marked); }
        catch (Exception) { return false; } // the value is judged by the compiler (an H3 cell, a JSON path, ...)

        if (probe.Count != compiled.Count) return false;
        for (var s = 0; s < probe.Count; s++)
        {
            var (before, after) = (compiled[s].Statement, probe[s]);
            // Compared as trees: the same text and the same slots in the same places, whatever values they hold.
            if (!before.Body.SameShape(after.Body) || before.Parameters.Count != after.Parameters.Count) return false;
            for (var p = 0; p < after.Parameters.Count; p++)
            {
                if (SameValue(before.Parameters[p], after.Parameters[p])) continue;
                if (after.Parameters[p] is not Marker || before.Parameters[p] as string != value || slots[s][p] is not null)
                    return false;
                slots[s][p] = name;
            }
        }
        return true;
    }

    private static bool SameValue(object? a, object? b) => (a, b) switch
    {
        (string[] x, string[] y) => x.SequenceEqual(y),
        _ => Equals(a, b)
    };
}

using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Peregrine.Graph.Execution.Plans;

/// <summary>
/// The plans of one (document, operation, role and session) — one per combination of the variables that
/// shape the SQL. String-typed variables start out as slots (their values only ever become parameters);
/// one that turns out to shape the statement (say, an H3 cell expanded into ranges) is demoted and from
/// then on keys the plan by its value, like every other variable.
/// </summary>
public sealed class OperationPlans(IReadOnlyList<(string Name, bool StringTyped)> variables)
{
    private const int MaxPlans = 256;
    private readonly ConcurrentDictionary<string, QueryPlan> _plans = new();
    private readonly ConcurrentDictionary<string, bool> _demoted = new();

    /// <summary>The variables of this request that are slots: string-typed, not demoted, and sent as a string.</summary>
    public IReadOnlyList<string> SlotsIn(JsonObject? values)
    {
        var slots = new List<string>();
        foreach (var (name, stringTyped) in variables)
            if (IsSlot(name, stringTyped, values)) slots.Add(name);
        return slots;
    }

    /// <summary>Everything about the variables that may change the SQL: the slots' names, every other value.</summary>
    public string ShapeKey(JsonObject? values)
    {
        var key = new StringBuilder();
        foreach (var (name, stringTyped) in variables)
        {
            if (IsSlot(name, stringTyped, values)) key.Append('$');
            else if (values is null || !values.TryGetPropertyValue(name, out var value)) key.Append('-');
            else key.Append('=').Append(value?.ToJsonString() ?? "null");
            key.Append('\n'); // never inside ToJsonString's output, which escapes control characters
        }
        return key.ToString();
    }

    public QueryPlan? Find(string shapeKey) => _plans.GetValueOrDefault(shapeKey);

    public void Add(string shapeKey, QueryPlan plan)
    {
        if (_plans.Count < MaxPlans) _plans.TryAdd(shapeKey, plan);
    }

    public void Demote(string variable) => _demoted.TryAdd(variable, true);

    private bool IsSlot(string name, bool stringTyped, JsonObject? values) =>
        stringTyped && !_demoted.ContainsKey(name)
        && values is not null && values.TryGetPropertyValue(name, out var value)
        && value is JsonValue v && v.GetValueKind() == JsonValueKind.String;
}

using GraphQLParser.AST;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Execution.Limits;

/// <summary>
/// What a parsed document would cost once its fragments are expanded: field nodes, aliases, selection depth
/// and fragment-spread depth. Measured without recursion (explicit stacks) and without expanding anything:
/// each fragment is walked once and its totals are memoised, so a fragment "bomb" (F1 spreads F0 twice,
/// F2 spreads F1 twice, ...) costs its text, not the 2^n fields it stands for. Fragment cycles are found
/// here too, before GraphQL.NET's recursive fragment visitors could loop or overflow the stack on them.
/// </summary>
public sealed record DocumentShape(long Fields, long Aliases, int Depth, int FragmentDepth)
{
    // Counts stop growing here: a bomb's true size does not fit in a long.
    private const long Saturated = int.MaxValue;

    /// <summary>The shape of <paramref name="document"/>; throws <see cref="ValidationFailedError"/> on a fragment cycle.</summary>
    public static DocumentShape Measure(GraphQLDocument document)
    {
        var fragments = new Dictionary<string, Unit>(StringComparer.Ordinal);
        var operations = new List<Unit>();
        long rawFields = 0, rawAliases = 0;
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLOperationDefinition op:
                    var unit = Walk(op.SelectionSet);
                    operations.Add(unit);
                    (rawFields, rawAliases) = (rawFields + unit.OwnFields, rawAliases + unit.OwnAliases);
                    break;
                case GraphQLFragmentDefinition f:
                    var fragment = Walk(f.SelectionSet);
                    fragments.TryAdd(f.FragmentName.Name.StringValue, fragment); // a duplicate name is validation's to report
                    (rawFields, rawAliases) = (rawFields + fragment.OwnFields, rawAliases + fragment.OwnAliases);
                    break;
            }
        }

        foreach (var name in PostOrder(fragments)) Total(fragments[name], fragments);

        long fields = 0, aliases = 0;
        int depth = 0, fragmentDepth = 0;
        foreach (var op in operations)
        {
            Total(op, fragments);
            fields = Add(fields, op.Fields);
            aliases = Add(aliases, op.Aliases);
            depth = Math.Max(depth, op.Depth);
            fragmentDepth = Math.Max(fragmentDepth, op.SpreadDepth);
        }
        foreach (var f in fragments.Values)
        {
            // Validation visits every fragment, used or not.
            depth = Math.Max(depth, f.Depth);
            fragmentDepth = Math.Max(fragmentDepth, f.SpreadDepth);
        }
        return new DocumentShape(Math.Max(fields, rawFields), Math.Max(aliases, rawAliases), depth, fragmentDepth);
    }

    // One operation's or fragment's own selections: fields, aliases, depth, and where it spreads fragments.
    private static Unit Walk(GraphQLSelectionSet root)
    {
        var unit = new Unit();
        var stack = new Stack<(GraphQLSelectionSet Set, int Depth)>();
        stack.Push((root, 0));
        while (stack.TryPop(out var top))
        {
            foreach (var selection in top.Set.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        unit.OwnFields++;
                        if (field.Alias is not null) unit.OwnAliases++;
                        unit.OwnDepth = Math.Max(unit.OwnDepth, top.Depth + 1);
                        if (field.SelectionSet is { } sub) stack.Push((sub, top.Depth + 1));
                        break;
                    case GraphQLInlineFragment inline:
                        stack.Push((inline.SelectionSet, top.Depth));
                        break;
                    case GraphQLFragmentSpread spread:
                        unit.Spreads.Add((spread.FragmentName.Name.StringValue, top.Depth));
                        break;
                }
            }
        }
        return unit;
    }

    // The fragments in an order where each comes after every fragment it spreads; a cycle is a validation error.
    private static List<string> PostOrder(Dictionary<string, Unit> fragments)
    {
        var order = new List<string>(fragments.Count);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path, true: done
        var path = new Stack<(string Name, int Next)>();
        foreach (var start in fragments.Keys)
        {
            if (state.ContainsKey(start)) continue;
            path.Push((start, 0));
            state[start] = false;
            while (path.TryPop(out var top))
            {
                var spreads = fragments[top.Name].Spreads;
                if (top.Next < spreads.Count)
                {
                    path.Push((top.Name, top.Next + 1));
                    var target = spreads[top.Next].Fragment;
                    if (!fragments.ContainsKey(target)) continue; // unknown fragment: validation reports it
                    if (!state.TryGetValue(target, out var done))
                    {
                        state[target] = false;
                        path.Push((target, 0));
                    }
                    else if (!done)
                    {
                        throw new ValidationFailedError(CycleMessage(target, path), "$.query");
                    }
                    continue;
                }
                state[top.Name] = true;
                order.Add(top.Name);
            }
        }
        return order;
    }

    private static string CycleMessage(string target, Stack<(string Name, int Next)> path)
    {
        // The path stack, from the top, runs back to where the cycle starts.
        var via = new List<string>();
        foreach (var (name, _) in path)
        {
            if (name == target) break;
            via.Add(name);
        }
        via.Reverse();
        var shown = string.Join(", ", via.Take(5).Select(v => $"'{v}'")) + (via.Count > 5 ? $", ... ({via.Count} fragments)" : "");
        return via.Count == 0
            ? $"Cannot spread fragment '{target}' within itself."
            : $"Cannot spread fragment '{target}' within itself via {shown}.";
    }

    // Totals of a unit whose spread fragments have their totals already.
    private static void Total(Unit unit, Dictionary<string, Unit> fragments)
    {
        long fields = unit.OwnFields, aliases = unit.OwnAliases;
        int depth = unit.OwnDepth, spreadDepth = 0;
        foreach (var (name, at) in unit.Spreads)
        {
            if (!fragments.TryGetValue(name, out var target)) continue;
            fields = Add(fields, target.Fields);
            aliases = Add(aliases, target.Aliases);
            depth = Math.Max(depth, at + target.Depth);
            spreadDepth = Math.Max(spreadDepth, target.SpreadDepth);
        }
        (unit.Fields, unit.Aliases, unit.Depth) = (fields, aliases, depth);
        unit.SpreadDepth = unit.Spreads.Count > 0 ? spreadDepth + 1 : 0;
    }

    private static long Add(long a, long b) => Math.Min(Saturated, a + b);

    private sealed class Unit
    {
        public long OwnFields, OwnAliases;
        public int OwnDepth;
        public readonly List<(string Fragment, int Depth)> Spreads = [];
        public long Fields, Aliases;
        public int Depth, SpreadDepth;
    }
}

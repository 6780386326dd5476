using GraphQLParser.AST;

namespace Peregrine.Graph.Execution.Limits;

/// <summary>
/// Removes selections that repeat an earlier one of the same selection set exactly (same alias, name,
/// arguments, directives and sub-selection; the same fragment spread twice). GraphQL merges such fields
/// into one response key anyway, so the answer is unchanged — but GraphQL.NET's OverlappingFieldsCanBeMerged
/// compares every pair of fields sharing a response key, which made <c>{ x x x ... }</c> cost the square of
/// its length. Sub-selections are compared by an interned id built bottom-up with an explicit stack, so the
/// whole pass is linear in the document and never recurses.
/// </summary>
public static class DuplicateSelections
{
    /// <summary>Removes the duplicates in place; <paramref name="source"/> is the text the document was parsed from (with locations).</summary>
    public static void Remove(GraphQLDocument document, string source)
    {
        // Every selection set, parents before children; walked backwards, children are done before parents.
        var sets = new List<GraphQLSelectionSet>();
        var stack = new Stack<GraphQLSelectionSet>();
        foreach (var definition in document.Definitions)
        {
            if (definition is GraphQLOperationDefinition op) stack.Push(op.SelectionSet);
            else if (definition is GraphQLFragmentDefinition f) stack.Push(f.SelectionSet);
        }
        while (stack.TryPop(out var set))
        {
            sets.Add(set);
            foreach (var s in set.Selections)
            {
                if (s is GraphQLField { SelectionSet: { } sub }) stack.Push(sub);
                else if (s is GraphQLInlineFragment inline) stack.Push(inline.SelectionSet);
            }
        }

        var interned = new Dictionary<string, int>(StringComparer.Ordinal);
        var setIds = new Dictionary<GraphQLSelectionSet, int>(ReferenceEqualityComparer.Instance);
        var unique = 0; // selections without a key of their own (no location) are never equal to another
        int Intern(string key)
        {
            if (!interned.TryGetValue(key, out var id)) interned[key] = id = interned.Count;
            return id;
        }
        string? Text(ASTNode? node) => node is null ? "" :
            node.Location.End > node.Location.Start && node.Location.End <= source.Length
                ? source[node.Location.Start..node.Location.End] : null;
        int SetId(GraphQLSelectionSet? set) => set is null ? -1 : setIds[set];
        int KeyOf(ASTNode s)
        {
            string? key = s switch
            {
                GraphQLField f when Text(f.Arguments) is { } args && Text(f.Directives) is { } dirs =>
                    $"F{f.Alias?.Name.StringValue}:{f.Name.StringValue}\0{args}\0{dirs}\0{SetId(f.SelectionSet)}",
                GraphQLFragmentSpread spread when Text(spread.Directives) is { } dirs =>
                    $"S{spread.FragmentName.Name.StringValue}\0{dirs}",
                GraphQLInlineFragment inline when Text(inline.Directives) is { } dirs =>
                    $"I{inline.TypeCondition?.Type.Name.StringValue}\0{dirs}\0{SetId(inline.SelectionSet)}",
                _ => null,
            };
            return key is null ? -1 - unique++ : Intern(key);
        }

        for (var i = sets.Count - 1; i >= 0; i--)
        {
            var set = sets[i];
            var seen = new HashSet<int>();
            var kept = new List<ASTNode>(set.Selections.Count);
            var keptIds = new List<int>(set.Selections.Count);
            foreach (var s in set.Selections)
            {
                var id = KeyOf(s);
                if (!seen.Add(id)) continue;
                kept.Add(s);
                keptIds.Add(id);
            }
            if (kept.Count != set.Selections.Count) set.Selections = kept;
            setIds[set] = Intern("{" + string.Join(",", keptIds) + "}");
        }
    }
}

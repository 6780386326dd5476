using GraphQLParser.AST;

namespace Peregrine.Graph.Ir;

/// <summary>
/// The spec's CollectFields: flattens fragments and inline fragments, applies <c>@skip</c>/<c>@include</c>,
/// and groups fields by response key in first-seen order (fields with the same key merge).
/// Every generated type is a concrete object type, so a type condition matches only its own name.
/// </summary>
public static class FieldCollector
{
    public static List<(string Key, List<GraphQLField> Fields)> Collect(
        GraphQLSelectionSet? selectionSet, string typeName, RequestScope scope)
    {
        var result = new List<(string, List<GraphQLField>)>();
        var index = new Dictionary<string, int>();
        Walk(selectionSet, typeName, scope, result, index, new HashSet<string>());
        return result;
    }

    private static void Walk(GraphQLSelectionSet? set, string typeName, RequestScope scope,
        List<(string Key, List<GraphQLField> Fields)> result, Dictionary<string, int> index, HashSet<string> visited)
    {
        if (set is null) return;
        foreach (var selection in set.Selections)
        {
            if (!Included(selection as IHasDirectivesNode, scope)) continue;
            switch (selection)
            {
                case GraphQLField f:
                    var key = (f.Alias?.Name ?? f.Name).StringValue;
                    if (index.TryGetValue(key, out var i)) result[i].Fields.Add(f);
                    else { index[key] = result.Count; result.Add((key, [f])); }
                    break;
                case GraphQLInlineFragment inline:
                    if (inline.TypeCondition is null || inline.TypeCondition.Type.Name.StringValue == typeName)
                        Walk(inline.SelectionSet, typeName, scope, result, index, visited);
                    break;
                case GraphQLFragmentSpread spread:
                    var name = spread.FragmentName.Name.StringValue;
                    if (!visited.Add(name) || !scope.Fragments.TryGetValue(name, out var fragment)) break;
                    if (fragment.TypeCondition.Type.Name.StringValue == typeName)
                        Walk(fragment.SelectionSet, typeName, scope, result, index, visited);
                    break;
            }
        }
    }

    private static bool Included(IHasDirectivesNode? node, RequestScope scope)
    {
        foreach (var d in node?.Directives?.Items ?? [])
        {
            var name = d.Name.StringValue;
            if (name is not ("skip" or "include")) continue;
            var arg = d.Arguments?.Items.FirstOrDefault(a => a.Name.StringValue == "if");
            var value = arg is null ? null : ValueReader.Read(arg.Value, scope);
            var flag = value is not null && value.GetValue<bool>();
            if (name == "skip" && flag) return false;
            if (name == "include" && !flag) return false;
        }
        return true;
    }

    /// <summary>All sub-selections of fields merged under one response key.</summary>
    public static GraphQLSelectionSet? Merge(List<GraphQLField> fields)
    {
        if (fields.Count == 1) return fields[0].SelectionSet;
        var merged = new GraphQLSelectionSet([]);
        foreach (var f in fields)
            if (f.SelectionSet is not null) merged.Selections.AddRange(f.SelectionSet.Selections);
        return merged;
    }
}

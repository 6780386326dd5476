using GraphQLParser.AST;

namespace Peregrine.Graph.Execution.Limits;

/// <summary>
/// Removes selections that repeat an earlier one of the same selection set exactly (same alias, name,
/// arguments, directives and sub-selection; the same fragment spread twice). GraphQL merges such fields
/// into one response key anyway, so the answer is unchanged — but GraphQL.NET's OverlappingFieldsCanBeMerged
/// compares every pair of fields sharing a response key, which made <c>{ x x x ... }</c> cost the square of
/// its length. Sub-selections are compared by an interned id built bottom-up with an explicit stack, so the
/// whole pass is linear in the document and never recurses. What is left of a selection set is checked for the
/// plainest conflict — two fields of one response key naming different fields or arguments — which the rule
/// would otherwise report once per pair (millions of errors, each locating itself by scanning the text, within
/// one node's visit where no time budget can stop it).
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
            CheckSiblings(kept, source);
        }
        }

    // Fields of one selection set share their parent type, so one response key must mean one field with the same arguments.
    private static void CheckSiblings(List<ASTNode> selections, string source)
    {
        Dictionary<string, (GraphQLField Field, string Arguments)>? byKey = null;
        foreach (var s in selections)
        {
            if (s is not GraphQLField field) continue;
            byKey ??= new Dictionary<string, (GraphQLField, string)>(StringComparer.Ordinal);
            var key = (field.Alias?.Name ?? field.Name).StringValue;
            var arguments = ArgumentsKey(field.Arguments, source);
            if (!byKey.TryGetValue(key, out var first)) { byKey[key] = (field, arguments); continue; }
            if (first.Field.Name.StringValue != field.Name.StringValue)
                throw new Errors.ValidationFailedError($"Fields '{key}' conflict because '{first.Field.Name.StringValue}' and '{field.Name.StringValue}' are different fields. Use different aliases on the fields to fetch both if this was intentional.", "$.query");
            if (first.Arguments != arguments)
                throw new Errors.ValidationFailedError($"Fields '{key}' conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional.", "$.query");
        }
    }

    // The arguments by name, each value's text without insignificant whitespace and commas (strings kept whole).
    private static string ArgumentsKey(GraphQLArguments? arguments, string source)
    {
        if (arguments is null || arguments.Items.Count == 0) return "";
        var parts = new List<string>(arguments.Items.Count);
        foreach (var a in arguments.Items)
        {
            var loc = a.Location;
            parts.Add(loc.End > loc.Start && loc.End <= source.Length ? Compact(source.AsSpan(loc.Start, loc.End - loc.Start)) : "\u0001" + parts.Count);
        }
        parts.Sort(StringComparer.Ordinal);
        return string.Join("\u0000", parts);
    }

    private static string Compact(ReadOnlySpan<char> text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\' && i + 1 < text.Length) sb.Append(text[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') { inString = true; sb.Append(c); continue; }
            if (c is ' ' or '\t' or '\n' or '\r' or ',') continue;
            sb.Append(c);
        }
        return sb.ToString();
    }
}

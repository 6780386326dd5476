using GraphQL.Types;
using Peregrine.Graph.Metadata;
using static Peregrine.Graph.Schema.TypeRefs;

namespace Peregrine.Graph.Schema;

/// <summary>The inputs of <c>update_&lt;t&gt;</c>: <c>_set</c>, <c>_inc</c>, the jsonb operators, primary keys and <c>_updates</c>.</summary>
internal static class UpdateDeleteTypes
{
    private static readonly HashSet<string> Incrementable = ["Int", "bigint", "smallint", "Float", "float4", "numeric"];

    /// <summary>The update operators a table supports, with the input type each takes (absent when no column fits).</summary>
    public static IEnumerable<(string Operator, string InputType)> Operators(TableInfo table)
    {
        var t = table.Name;
        var columns = Updatable(table).ToList();
        yield return ("_set", TypeNames.SetInput(t));
        if (columns.Any(c => Incrementable.Contains(c.Scalar))) yield return ("_inc", TypeNames.IncInput(t));
        if (!columns.Any(c => c.Scalar == "jsonb")) yield break;
        yield return ("_append", $"{t}_append_input");
        yield return ("_prepend", $"{t}_prepend_input");
        yield return ("_delete_key", $"{t}_delete_key_input");
        yield return ("_delete_elem", $"{t}_delete_elem_input");
        yield return ("_delete_at_path", $"{t}_delete_at_path_input");
    }

    private static IEnumerable<ColumnInfo> Updatable(TableInfo table) =>
        table.Columns.Where(c => table.Access.UpdateColumns.Contains(c.Name));

    public static IEnumerable<IGraphType> Build(TableInfo table)
    {
        var t = table.Name;
        if (!table.Access.CanSelect && !table.Access.CanUpdate && !table.Access.CanDelete) yield break;
        yield return Input(TypeNames.PkColumnsInput(t), $"primary key columns input for table: {t}",
            table.PrimaryKey.Select(c => (c, NonNull(table.Column(c).Scalar))));
        if (!table.Access.CanUpdate) yield break;
        var columns = Updatable(table).ToList();
        yield return Input(TypeNames.SetInput(t), $"input type for updating data in table \"{t}\"",
            columns.Select(c => (c.Name, Named(c.Scalar))));
        var inc = columns.Where(c => Incrementable.Contains(c.Scalar)).ToList();
        if (inc.Count > 0)
            yield return Input(TypeNames.IncInput(t), $"input type for incrementing numeric columns in table \"{t}\"",
                inc.Select(c => (c.Name, Named(c.Scalar))));
        var json = columns.Where(c => c.Scalar == "jsonb").ToList();
        if (json.Count > 0)
        {
            yield return Input($"{t}_append_input", "append existing jsonb value of filtered columns with new jsonb value", json.Select(c => (c.Name, Named("jsonb"))));
            yield return Input($"{t}_prepend_input", "prepend existing jsonb value of filtered columns with new jsonb value", json.Select(c => (c.Name, Named("jsonb"))));
            yield return Input($"{t}_delete_key_input", "delete key/value pair or string element. key/value pairs are matched based on their key value", json.Select(c => (c.Name, Named("String"))));
            yield return Input($"{t}_delete_elem_input", "delete the array element with specified index (negative integers count from the end). throws an error if top level container is not an array", json.Select(c => (c.Name, Named("Int"))));
            yield return Input($"{t}_delete_at_path_input", "delete the field or element with specified path (for JSON arrays, negative integers count from the end)", json.Select(c => (c.Name, ListOfNonNull("String"))));
        }
        var updates = new InputObjectGraphType { Name = TypeNames.Updates(t) };
        foreach (var (op, type) in Operators(table))
            updates.AddField(Field(op, Named(type)));
        updates.AddField(Field("where", NonNull(TypeNames.BoolExp(t)), "filter the rows which have to be updated"));
        yield return updates;
    }

    private static InputObjectGraphType Input(string name, string description, IEnumerable<(string Name, IGraphType Type)> fields)
    {
        var t = new InputObjectGraphType { Name = name, Description = description };
        foreach (var (n, type) in fields) t.AddField(Field(n, type));
        return t;
    }
}

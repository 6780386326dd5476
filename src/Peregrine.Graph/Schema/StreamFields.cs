using GraphQL.Types;
using Peregrine.Graph.Metadata;
using static Peregrine.Graph.Schema.TypeRefs;

namespace Peregrine.Graph.Schema;

/// <summary>
/// Hasura's streaming subscriptions: <c>&lt;table&gt;_stream(batch_size: Int!, cursor: [&lt;table&gt;_stream_cursor_input]!,
/// where: &lt;table&gt;_bool_exp): [&lt;table&gt;!]!</c>, with <c>{initial_value: {&lt;column&gt;: value}, ordering: ASC|DESC}</c>
/// as the cursor. Only the websocket transport serves them (Subscriptions/StreamSubscription).
/// </summary>
public static class StreamFields
{
    public const string CursorOrdering = "cursor_ordering";
    private const string Suffix = "_stream";

    public static string FieldName(string table) => table + Suffix;
    public static string CursorInput(string table) => $"{table}_stream_cursor_input";
    public static string CursorValueInput(string table) => $"{table}_stream_cursor_value_input";

    /// <summary>The table a <c>&lt;table&gt;_stream</c> field streams, or null when the name is not one.</summary>
    public static TableInfo? FindTable(CatalogMetadata catalog, string fieldName) =>
        fieldName.EndsWith(Suffix, StringComparison.Ordinal) ? catalog.FindTable(fieldName[..^Suffix.Length]) : null;

    /// <summary>
    /// Columns a cursor may use: those the role reads on every row (a cursor orders and filters by its
    /// column, so a hidden one would reveal values), with a total order PostgreSQL compares directly.
    /// </summary>
    public static IEnumerable<ColumnInfo> CursorColumns(TableInfo table) =>
        table.FilterableColumns.Where(c => c.Scalar is not ("jsonb" or "json" or "geography" or "geometry"));

    internal static IEnumerable<FieldType> Fields(TableInfo table)
    {
        var field = Field(FieldName(table.Name), NonNullListOfNonNull(table.Name),
            $"fetch data from the table in a streaming manner: \"{table.Name}\"",
            new QueryArguments(
                Arg("batch_size", NonNull("Int"), "maximum number of rows returned in a single batch"),
                Arg("cursor", new NonNullGraphType(new ListGraphType(Named(CursorInput(table.Name)))), "cursor to stream the results returned by the query"),
                Arg("where", Named(TypeNames.BoolExp(table.Name)), "filter the rows returned")));
        field.StreamResolver = WebSocketOnlyStreamResolver.Instance;
        yield return field;
    }

    internal static IEnumerable<IGraphType> Types(CatalogMetadata catalog)
    {
        var ordering = new EnumerationGraphType { Name = CursorOrdering, Description = "ordering argument of a cursor" };
        ordering.Add("ASC", "ASC", "ascending ordering of the cursor");
        ordering.Add("DESC", "DESC", "descending ordering of the cursor");
        yield return ordering;
        foreach (var table in catalog.Tables)
        {
            var cursor = new InputObjectGraphType
            {
                Name = CursorInput(table.Name),
                Description = $"Streaming cursor of the table \"{table.Name}\"",
            };
            cursor.AddField(Field("initial_value", NonNull(CursorValueInput(table.Name)), "Stream column input with initial value"));
            cursor.AddField(Field("ordering", Named(CursorOrdering), "cursor ordering"));
            yield return cursor;

            var value = new InputObjectGraphType
            {
                Name = CursorValueInput(table.Name),
                Description = "Initial value of the column from where the streaming should start",
            };
            foreach (var c in CursorColumns(table)) value.AddField(Field(c.Name, Named(c.Scalar)));
            yield return value;
        }
    }
}

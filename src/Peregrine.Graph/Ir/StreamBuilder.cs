using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Ir;

/// <summary>The arguments of a <c>&lt;table&gt;_stream</c> field: batch size, the cursor column and its direction, the filter.</summary>
public sealed record StreamArgs(long BatchSize, ColumnInfo Column, bool Descending, JsonNode? InitialValue, JsonObject? Where);

/// <summary>
/// A streaming subscription's next batch as an ordinary <see cref="SelectIr"/>: the client's filter AND
/// "after the cursor", ordered by the cursor column then the primary key, limited to the batch size. The
/// primary key breaks ties, so rows sharing a cursor value are neither repeated nor skipped across a
/// batch boundary. Two hidden columns (<see cref="CursorAlias"/>, <see cref="TieAlias"/>) carry the last
/// row's position back to the caller, who strips them before sending.
/// </summary>
public static class StreamBuilder
{
    public const string CursorAlias = "__peregrine_cursor";
    public const string TieAlias = "__peregrine_tie";

    public static StreamArgs ReadArgs(TableInfo table, JsonObject args, string path)
    {
        var batch = args["batch_size"] is JsonValue b ? b.GetValue<long>() : 0;
        if (batch <= 0) throw new ValidationFailedError("\"batch_size\" must be a positive integer", $"{path}.args.batch_size");
        var cursors = args["cursor"] switch
        {
            JsonArray a => a.Where(x => x is not null).ToList(),
            JsonObject o => [o],
            _ => []
        };
        if (cursors.Count != 1)
            throw new ValidationFailedError("one streaming cursor column is expected", $"{path}.args.cursor");
        var cursor = cursors[0]!.AsObject();
        if (cursor["initial_value"] is not JsonObject initial || initial.Count != 1)
            throw new ValidationFailedError("the cursor's initial_value must name exactly one column", $"{path}.args.cursor.initial_value");
        var (name, value) = initial.First();
        // Only a column the role reads on every row: a cursor on a hidden one is an oracle for its values.
        var column = Schema.StreamFields.CursorColumns(table).FirstOrDefault(c => c.Name == name)
            ?? throw new ValidationFailedError($"field '{name}' not found in type: '{table.Name}_stream_cursor_value_input'", $"{path}.args.cursor");
        var descending = (string?)cursor["ordering"] == "DESC";
        return new StreamArgs(batch, column, descending, value?.DeepClone(), args["where"] as JsonObject);
    }

    /// <summary>The rows after (<paramref name="cursor"/>, <paramref name="tie"/>); tie null means "after the cursor value".</summary>
    public static SelectIr Build(CatalogMetadata catalog, RequestScope scope, TableInfo table, GraphQLSelectionSet? selection,
        StreamArgs args, JsonNode? cursor, JsonNode? tie, string path)
    {
        var col = args.Column.Name;
        var tieColumn = table.PrimaryKey.Count == 1 ? table.Column(table.PrimaryKey[0]) : null;
        var after = args.Descending ? "_lt" : "_gt";
        var conditions = new JsonArray();
        if (args.Where is not null) conditions.Add(args.Where.DeepClone());
        if (cursor is not null)
        {
            JsonObject past = new() { [col] = new JsonObject { [after] = cursor.DeepClone() } };
            if (tie is not null && tieColumn is not null)
                past = new JsonObject
                {
                    ["_or"] = new JsonArray(past, new JsonObject
                    {
                        ["_and"] = new JsonArray(
                            new JsonObject { [col] = new JsonObject { ["_eq"] = cursor.DeepClone() } },
                            new JsonObject { [tieColumn.Name] = new JsonObject { ["_gt"] = tie.DeepClone() } })
                    })
                };
            conditions.Add(past);
        }
        var orderBy = new JsonArray(new JsonObject { [col] = args.Descending ? "desc_nulls_last" : "asc_nulls_last" });
        if (tieColumn is not null) orderBy.Add(new JsonObject { [tieColumn.Name] = "asc" });
        var selectArgs = new JsonObject
        {
            ["where"] = new JsonObject { ["_and"] = conditions },
            ["order_by"] = orderBy,
            ["limit"] = args.BatchSize,
        };
        var ir = new SelectBuilder(catalog, scope).Build(table, selection, selectArgs, path);
        var hidden = new List<SelectField>(ir.Fields) { new ColumnField(CursorAlias, args.Column) };
        if (tieColumn is not null) hidden.Add(new ColumnField(TieAlias, tieColumn));
        return ir with { Fields = hidden };
    }
}

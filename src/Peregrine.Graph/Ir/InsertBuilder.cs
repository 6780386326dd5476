using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Ir;

/// <summary>Reads <c>objects</c>/<c>object</c> and <c>on_conflict</c> into an <see cref="InsertIr"/>, nested relationships included.</summary>
public sealed class InsertBuilder(CatalogMetadata catalog, Permissions.RoleRules rules)
{
    public InsertIr Build(TableInfo table, IReadOnlyList<JsonObject> objects, JsonObject? onConflict, string path)
    {
        var rows = objects.Select((o, i) => Row(table, o, $"{path}[{i}]")).ToList();
        return new InsertIr(table, rows, onConflict is null ? null : OnConflict(table, onConflict, $"{path}.on_conflict"))
        {
            Check = rules.InsertCheck(table)
        };
    }

    private InsertRow Row(TableInfo table, JsonObject obj, string path)
    {
        var values = new List<(ColumnInfo, JsonNode?)>();
        var objectRels = new List<NestedObjectInsert>();
        var arrayRels = new List<NestedArrayInsert>();
        foreach (var (key, value) in obj)
        {
            var at = $"{path}.{key}";
            if (table.FindColumn(key) is { } column)
            {
                if (!table.Access.InsertColumns.Contains(column.Name))
                    throw new ValidationFailedError($"field '{key}' not found in type: '{table.Name}_insert_input'", at);
                values.Add((column, value?.DeepClone()));
                continue;
            }
            if (table.FindRelationship(key) is not { } rel)
                throw new ValidationFailedError($"field '{key}' not found in type: '{table.Name}_insert_input'", at);
            if (value is not JsonObject nested) continue;
            var remote = catalog.Table(rel.RemoteTable);
            var conflict = nested["on_conflict"] as JsonObject;
            if (rel.Kind == RelationshipKind.Object)
            {
                if (!rel.LocalHoldsForeignKey)
                    throw new NotSupportedError($"nested insert through '{key}' is not supported", at);
                var data = nested["data"]?.AsObject() ?? throw new ValidationFailedError("\"data\" is required", at);
                objectRels.Add(new NestedObjectInsert(rel, Build(remote, [data], conflict, $"{at}.data")));
                values.RemoveAll(v => rel.LocalColumns.Contains(v.Item1.Name));
            }
            else
            {
                var data = nested["data"] as JsonArray ?? new JsonArray();
                var rows = data.Where(d => d is not null).Select(d => d!.AsObject()).ToList();
                TableInfo? bridge = null;
                if (rel.Kind == RelationshipKind.ManyToMany)
                {
                    // Linking writes bridge rows: the role needs insert rights on the bridge too.
                    bridge = catalog.FindTable(rel.Bridge!) is { Access.CanInsert: true } b ? b
                        : throw new PermissionError($"no insert permission on \"{rel.Bridge}\", which \"{key}\" writes", at);
                }
                arrayRels.Add(new NestedArrayInsert(rel, Build(remote, rows, conflict, $"{at}.data"))
                {
                    BridgeTable = bridge,
                    BridgeCheck = bridge is null ? null : rules.InsertCheck(bridge),
                });
            }
        }
        // The role's presets win over whatever the client sent for those columns.
        foreach (var (column, value) in rules.InsertPresets(table))
        {
            values.RemoveAll(v => v.Item1.Name == column.Name);
            values.Add((column, value));
        }
        if (catalog.H3Columns(table.Name) is { } h3)
        {
            var cells = H3.ReportCellValues.Compute(h3, table, name =>
            {
                var i = values.FindIndex(v => v.Item1.Name == name);
                return i < 0 ? (false, null) : (true, values[i].Item2);
            }, path);
            foreach (var (column, value) in cells)
            {
                values.RemoveAll(v => v.Item1.Name == column.Name);
                values.Add((column, value));
            }
        }
        return new InsertRow(values, objectRels, arrayRels);
    }

    /// <summary>
    /// An upsert names a constraint and the columns to overwrite. Whether a row conflicts says what it
    /// holds, so the constraint's columns must be ones the role may read on every row; the columns it
    /// overwrites must be ones it may both update and read; and a row it updates must pass its update
    /// filter, as an <c>update_&lt;t&gt;</c> would (Hasura folds the filter into the conflict's WHERE).
    /// </summary>
    private OnConflictIr OnConflict(TableInfo table, JsonObject obj, string path)
    {
        var name = obj["constraint"]?.GetValue<string>() ?? "";
        var constraint = table.UniqueConstraints.FirstOrDefault(u => u.Name == name && Upserts.Allows(table, u))
            ?? throw new ValidationFailedError($"unknown constraint '{name}'", $"{path}.constraint");
        var updateColumns = (obj["update_columns"] as JsonArray ?? [])
            .Select(x => x?.GetValue<string>() ?? "")
            .Select(c => table.FindColumn(c) is { } column && Upserts.Updates(table, column)
                ? column
                : throw new ValidationFailedError($"column '{c}' of '{table.Name}' cannot be updated by an upsert of this role", $"{path}.update_columns"))
            .ToList();
        var where = obj["where"] is JsonObject w ? BoolExpBuilder.Build(w, table, catalog, $"{path}.where", rules) : null;
        if (updateColumns.Count > 0) where = Permissions.RoleRules.And(where, rules.UpdateFilter(table));
        return new OnConflictIr(constraint, updateColumns, where);
    }
}

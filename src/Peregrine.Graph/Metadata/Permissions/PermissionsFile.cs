using System.Text.Json;
using System.Text.Json.Nodes;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Metadata.Permissions;

/// <summary>
/// Reads the declarative permissions file and checks it against the catalog: a table, column,
/// relationship or operator it names that does not exist stops start-up with a message saying where.
/// </summary>
public static class PermissionsFile
{
    /// <param name="defaultRowLimit">The row limit of select rules that set none (PEREGRINE_MAX_ROWS): no role but admin reads a whole table at once.</param>
    public static PermissionSet Load(string path, CatalogMetadata catalog, long? defaultRowLimit = null)
    {
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }) as JsonObject
                ?? throw new InvalidDataException("the file must hold a JSON object of tables"); }
        catch (JsonException e) { throw new InvalidDataException($"permissions file {path}: {e.Message}", e); }
        return Parse(root, catalog, path, defaultRowLimit);
    }

    public static PermissionSet Parse(JsonObject root, CatalogMetadata catalog, string source, long? defaultRowLimit = null)
    {
        var byTable = new Dictionary<string, IReadOnlyDictionary<string, RolePermissions>>();
        foreach (var (tableName, rolesNode) in root)
        {
            if (tableName.StartsWith('_')) continue; // "_comment" and the like
            var where = $"permissions file {source}: {tableName}";
            var table = catalog.FindTable(tableName) ?? throw new InvalidDataException($"{where}: no such table");
            var roles = new Dictionary<string, RolePermissions>();
            foreach (var (role, opsNode) in rolesNode as JsonObject ?? throw new InvalidDataException($"{where}: expected an object of roles"))
            {
                var at = $"{where}.{role}";
                if (role == Session.AdminRole) throw new InvalidDataException($"{at}: admin may do everything and takes no rules");
                var ops = opsNode as JsonObject ?? throw new InvalidDataException($"{at}: expected an object of operations");
                foreach (var key in ops.Select(o => o.Key))
                    if (key is not ("select" or "insert" or "update" or "delete"))
                        throw new InvalidDataException($"{at}: unknown operation '{key}'");
                // Writes answer with rows and filter with bool_exp, both of which come from the select rule.
                if (ops["select"] is not JsonObject)
                    throw new InvalidDataException($"{at}: a role that writes a table must also have a select rule on it");
                roles[role] = new RolePermissions(
                    ops["select"] is JsonObject s ? Select(s, table, catalog, $"{at}.select", defaultRowLimit) : null,
                    ops["insert"] is JsonObject i ? Insert(i, table, catalog, $"{at}.insert") : null,
                    ops["update"] is JsonObject u ? Update(u, table, catalog, $"{at}.update") : null,
                    ops["delete"] is JsonObject d ? new DeleteRule(Filter(d["filter"], table, catalog, $"{at}.delete.filter")) : null);
            }
            byTable[tableName] = roles;
        }
        return new PermissionSet(byTable);
    }

    private static SelectRule Select(JsonObject o, TableInfo table, CatalogMetadata catalog, string at, long? defaultRowLimit)
    {
        if (o["columns"] is JsonArray { Count: 0 }) throw new InvalidDataException($"{at}.columns: a select rule needs at least one column");
        var columnFilters = new Dictionary<string, JsonObject>();
        foreach (var (column, filter) in o["column_filters"] as JsonObject ?? [])
        {
            RequireColumn(table, column, $"{at}.column_filters");
            columnFilters[column] = Filter(filter, table, catalog, $"{at}.column_filters.{column}");
        }
        return new SelectRule(
            Columns(o["columns"], table, $"{at}.columns"),
            Filter(o["filter"], table, catalog, $"{at}.filter"),
            o["limit"] is JsonValue l ? l.GetValue<long>() : defaultRowLimit,
            o["allow_aggregations"] is JsonValue a && a.GetValue<bool>(),
            columnFilters);
    }

    private static InsertRule Insert(JsonObject o, TableInfo table, CatalogMetadata catalog, string at) =>
        new(Columns(o["columns"], table, $"{at}.columns"), Filter(o["check"], table, catalog, $"{at}.check"), Presets(o["set"], table, $"{at}.set"));

    private static UpdateRule Update(JsonObject o, TableInfo table, CatalogMetadata catalog, string at) =>
        new(Columns(o["columns"], table, $"{at}.columns"), Filter(o["filter"], table, catalog, $"{at}.filter"),
            o["check"] is null ? null : Filter(o["check"], table, catalog, $"{at}.check"), Presets(o["set"], table, $"{at}.set"));

    private static IReadOnlyList<string> Columns(JsonNode? node, TableInfo table, string at)
    {
        if (node is JsonValue v && v.GetValue<string>() == "*") return table.Columns.Select(c => c.Name).ToList();
        var names = (node as JsonArray ?? throw new InvalidDataException($"{at}: expected \"*\" or a list of columns"))
            .Select(c => c!.GetValue<string>()).ToList();
        foreach (var name in names) RequireColumn(table, name, at);
        return names;
    }

    private static IReadOnlyDictionary<string, JsonNode?> Presets(JsonNode? node, TableInfo table, string at)
    {
        var presets = new Dictionary<string, JsonNode?>();
        foreach (var (column, value) in node as JsonObject ?? [])
        {
            RequireColumn(table, column, at);
            presets[column] = value?.DeepClone();
        }
        return presets;
    }

    // A filter is validated by building it once with placeholder session values.
    private static JsonObject Filter(JsonNode? node, TableInfo table, CatalogMetadata catalog, string at)
    {
        var filter = node as JsonObject ?? [];
        try { Ir.BoolExpBuilder.Build(SessionValues.Substitute(filter, _ => "00000000-0000-0000-0000-000000000000")!.AsObject(), table, catalog, at); }
        catch (Errors.HasuraError e) { throw new InvalidDataException($"{at}: {e.Message}"); }
        catch (KeyNotFoundException e) { throw new InvalidDataException($"{at}: {e.Message}"); }
        return filter;
    }

    private static void RequireColumn(TableInfo table, string column, string at)
    {
        if (table.FindColumn(column) is null) throw new InvalidDataException($"{at}: no column '{column}' in table '{table.Name}'");
    }
}

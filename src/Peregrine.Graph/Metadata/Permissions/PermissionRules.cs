using System.Text.Json.Nodes;

namespace Peregrine.Graph.Metadata.Permissions;

/// <summary>
/// One role's rules on one table, as the permissions file states them. Filters and checks are
/// <c>&lt;table&gt;_bool_exp</c> values whose operands may name session variables (<c>"X-Hasura-User-Id"</c>).
/// </summary>
public sealed record RolePermissions(
    SelectRule? Select, InsertRule? Insert, UpdateRule? Update, DeleteRule? Delete);

/// <param name="ColumnFilters">Beyond Hasura: a column shown only on rows matching its filter (null elsewhere), e.g. a user's own email.</param>
public sealed record SelectRule(
    IReadOnlyList<string> Columns, JsonObject Filter, long? Limit, bool AllowAggregations,
    IReadOnlyDictionary<string, JsonObject> ColumnFilters);

public sealed record InsertRule(IReadOnlyList<string> Columns, JsonObject Check, IReadOnlyDictionary<string, JsonNode?> Set);

public sealed record UpdateRule(IReadOnlyList<string> Columns, JsonObject Filter, JsonObject? Check, IReadOnlyDictionary<string, JsonNode?> Set);

public sealed record DeleteRule(JsonObject Filter);

/// <summary>Every table's rules by role. Admin is not listed: it may do everything.</summary>
public sealed class PermissionSet(IReadOnlyDictionary<string, IReadOnlyDictionary<string, RolePermissions>> byTable)
{
    public static readonly PermissionSet Empty = new(new Dictionary<string, IReadOnlyDictionary<string, RolePermissions>>());

    public RolePermissions? For(string table, string role) =>
        byTable.TryGetValue(table, out var roles) && roles.TryGetValue(role, out var p) ? p : null;

    public IEnumerable<string> Roles => byTable.Values.SelectMany(r => r.Keys).Distinct();
}

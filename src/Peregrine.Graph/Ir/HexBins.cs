using GraphQLParser.AST;
using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Ir;

/// <summary>Rows of a table counted per H3 cell at <see cref="Resolution"/>; <see cref="Fields"/> are the bin's selected fields.</summary>
public sealed record HexBinsIr(TableInfo Table, H3ColumnsInfo H3, int Resolution, BoolExp? Where, TablePermission Permission,
    IReadOnlyList<(string Alias, string Field)> Fields);

public sealed class HexBinsBuilder(CatalogMetadata catalog, RequestScope scope)
{
    public HexBinsIr Build(TableInfo table, H3ColumnsInfo h3, GraphQLSelectionSet? selection, JsonObject args, string path)
    {
        var res = args["resolution"] is JsonValue v && v.TryGetValue<long>(out var r) ? r : -1;
        if (res is < 0 or > 15)
            throw new ValidationFailedError("resolution must be an integer from 0 to 15", $"{path}.args.resolution");
        var rules = new Permissions.RoleRules(catalog, scope.Session);
        var where = args["where"] is JsonObject w ? BoolExpBuilder.Build(w, table, catalog, $"{path}.args.where", rules) : null;
        var fields = FieldCollector.Collect(selection, h3.HexBinType, scope)
            .Select(f => (f.Key, f.Fields[0].Name.StringValue))
            .ToList();
        return new HexBinsIr(table, h3, (int)res, where, rules.Select(table), fields);
    }
}

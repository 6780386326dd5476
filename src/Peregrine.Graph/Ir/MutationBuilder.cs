using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Ir;

/// <summary>Builds the IR of a mutation root field: what to write and what to answer with.</summary>
public sealed class MutationBuilder(CatalogMetadata catalog, RequestScope scope)
{
    private readonly Permissions.RoleRules _rules = new(catalog, scope.Session);

    private static readonly string[] UpdateOperators = ["_set", "_inc", "_append", "_prepend", "_delete_key", "_delete_elem", "_delete_at_path"];

    public MutationRootIr Build(RootField root, List<GraphQLField> nodes, string path)
    {
        var table = catalog.Table(root.Table);
        var args = ValueReader.Arguments(nodes[0], scope);
        var selection = FieldCollector.Merge(nodes);
        var inserts = new InsertBuilder(catalog, _rules);

        var root_ = Build(root.Kind, table, args, selection, inserts, path);
        var returning = _rules.Select(table).Filter;
        return root_ with { Steps = root_.Steps.Select(s => s with { ReturningFilter = returning }).ToList() };
    }

    private MutationRootIr Build(RootFieldKind kind, TableInfo table, JsonObject args, GraphQLSelectionSet? selection, InsertBuilder inserts, string path)
    {
        return kind switch
        {
            RootFieldKind.InsertOne => One(new MutationIr(
                inserts.Build(table, [args["object"]!.AsObject()], args["on_conflict"] as JsonObject, $"{path}.args.object"),
                RowOutput(table, selection, path))),
            RootFieldKind.Insert => One(new MutationIr(
                inserts.Build(table, Objects(args["objects"]), args["on_conflict"] as JsonObject, $"{path}.args.objects"),
                ResponseOutput(table, selection, path))),
            RootFieldKind.Update => One(new MutationIr(
                Update(table, args, Where(table, args["where"], $"{path}.args.where"), path), ResponseOutput(table, selection, path))),
            RootFieldKind.UpdateByPk => One(new MutationIr(
                Update(table, args, BoolExpBuilder.PrimaryKey(table, args["pk_columns"]?.AsObject()), path), RowOutput(table, selection, path))),
            RootFieldKind.UpdateMany => new MutationRootIr(
                Objects(args["updates"]).Select((u, i) => new MutationIr(
                    Update(table, u, Where(table, u["where"], $"{path}.args.updates[{i}].where"), path),
                    ResponseOutput(table, selection, path))).ToList(), IsList: true),
            RootFieldKind.Delete => One(new MutationIr(
                new DeleteIr(table, Permissions.RoleRules.And(Where(table, args["where"], $"{path}.args.where"), _rules.DeleteFilter(table))!),
                ResponseOutput(table, selection, path))),
            RootFieldKind.DeleteByPk => One(new MutationIr(
                new DeleteIr(table, Permissions.RoleRules.And(BoolExpBuilder.PrimaryKey(table, args), _rules.DeleteFilter(table))!), RowOutput(table, selection, path))),
            _ => throw new NotSupportedException(kind.ToString())
        };
    }

    private static MutationRootIr One(MutationIr ir) => new([ir], IsList: false);

    private static List<JsonObject> Objects(JsonNode? node) =>
        node is JsonArray arr ? arr.Where(o => o is not null).Select(o => o!.AsObject()).ToList() : node is JsonObject o1 ? [o1] : [];

    private BoolExp Where(TableInfo table, JsonNode? where, string path) =>
        where is JsonObject w ? BoolExpBuilder.Build(w, table, catalog, path, _rules) : new AndExp([]);

    private UpdateIr Update(TableInfo table, JsonObject args, BoolExp where, string path)
    {
        where = Permissions.RoleRules.And(where, _rules.UpdateFilter(table))!;
        var ops = new List<UpdateOp>();
        foreach (var op in UpdateOperators)
        {
            if (args[op] is not JsonObject values) continue;
            foreach (var (column, value) in values)
            {
                var info = table.FindColumn(column) is { } c && table.Access.UpdateColumns.Contains(c.Name) ? c
                    : throw new ValidationFailedError($"field '{column}' not found in type: '{table.Name}{op}_input'", $"{path}.args.{op}");
                ops.Add(new UpdateOp(info, op, value?.DeepClone()));
            }
        }
        foreach (var (column, value) in _rules.UpdatePresets(table))
        {
            ops.RemoveAll(o => o.Column.Name == column.Name);
            ops.Add(new UpdateOp(column, "_set", value));
        }
        // A new location moves the row's H3 cells with it.
        if (catalog.H3Columns(table.Name) is { } h3 && args["_set"] is JsonObject set)
        {
            var cells = H3.ReportCellValues.Compute(h3, table, name => (set.ContainsKey(name), set[name]), $"{path}.args._set");
            foreach (var (column, value) in cells)
            {
                ops.RemoveAll(o => o.Column.Name == column.Name);
                ops.Add(new UpdateOp(column, "_set", value));
            }
        }
        if (ops.Count == 0)
            throw new ValidationFailedError(
                "at least any one of _set, _inc, _append, _prepend, _delete_key, _delete_elem, _delete_at_path is expected", $"{path}.args");
        return new UpdateIr(table, where, ops) { Check = _rules.UpdateCheck(table) };
    }

    private SingleRowOutput RowOutput(TableInfo table, GraphQLSelectionSet? selection, string path) =>
        new(new SelectBuilder(catalog, scope).Fields(table, selection, path));

    private MutationResponseOutput ResponseOutput(TableInfo table, GraphQLSelectionSet? selection, string path)
    {
        var selects = new SelectBuilder(catalog, scope);
        var output = new List<MutationResponseField>();
        foreach (var (key, fieldNodes) in FieldCollector.Collect(selection, TypeNames.MutationResponse(table.Name), scope))
        {
            switch (fieldNodes[0].Name.StringValue)
            {
                case "affected_rows": output.Add(new AffectedRowsField(key)); break;
                case "__typename": output.Add(new MutationTypenameField(key, TypeNames.MutationResponse(table.Name))); break;
                case "returning":
                    output.Add(new ReturningField(key, selects.Fields(table, FieldCollector.Merge(fieldNodes), $"{path}.{key}")));
                    break;
            }
        }
        return new MutationResponseOutput(output);
    }
}

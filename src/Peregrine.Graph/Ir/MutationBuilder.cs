using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Schema;

namespace Peregrine.Graph.Ir;

/// <summary>Builds the IR of an insert root field: what to write and what to answer with.</summary>
public sealed class MutationBuilder(CatalogMetadata catalog, RequestScope scope)
{
    public MutationIr Build(RootField root, GraphQLField field, List<GraphQLField> nodes, string path)
    {
        var table = catalog.Table(root.Table);
        var args = ValueReader.Arguments(field, scope);
        var onConflict = args["on_conflict"] as JsonObject;
        var selection = FieldCollector.Merge(nodes);
        var selects = new SelectBuilder(catalog, scope);
        var inserts = new InsertBuilder(catalog);

        if (root.Kind == RootFieldKind.InsertOne)
        {
            var insert = inserts.Build(table, [args["object"]!.AsObject()], onConflict, $"{path}.args.object");
            return new MutationIr(insert, new SingleRowOutput(selects.Fields(table, selection, path)));
        }

        var objects = args["objects"] is JsonArray arr ? arr.Select(o => o!.AsObject()).ToList() : [args["objects"]!.AsObject()];
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
        return new MutationIr(inserts.Build(table, objects, onConflict, $"{path}.args.objects"), new MutationResponseOutput(output));
    }
}

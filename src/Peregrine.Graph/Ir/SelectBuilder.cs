using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Ir.Permissions;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Ir;

/// <summary>Builds the <see cref="SelectIr"/> of a table field: its selection set, its arguments, the role's permission.</summary>
public sealed class SelectBuilder(CatalogMetadata catalog, RequestScope scope)
{
    private readonly Permissions.RoleRules _rules = new(catalog, scope.Session);

    public SelectIr Build(TableInfo table, GraphQLSelectionSet? selection, JsonObject args, string path) =>
        new(table, Fields(table, selection, path), Args(table, args, path), _rules.Select(table));

    /// <summary>A search root field: the search joins the other arguments, and ranks the rows unless order_by is given.</summary>
    public SelectIr Search(TableInfo table, SearchFunctionInfo function, GraphQLSelectionSet? selection, JsonObject args, string path)
    {
        var words = args["args"]?["search"]?.GetValue<string>() ?? "";
        var ir = Build(table, selection, args, path);
        var related = function.Relationship is null ? null : table.FindRelationship(function.Relationship);
        var search = new TextSearch(function, table, words)
        {
            RelatedFilter = related is null ? null : _rules.Select(catalog.Table(related.RemoteTable)).Filter
        };
        var orderBy = ir.Args.OrderBy.Count > 0
            ? ir.Args.OrderBy
            : [new OrderByItem([], null, Descending: true, NullsFirst: false) { Rank = search },
               .. table.PrimaryKey.Select(c => new OrderByItem([], table.Column(c), false, false))];
        return ir with { Args = ir.Args with { Search = search, OrderBy = orderBy } };
    }

    public SelectIr ByPrimaryKey(TableInfo table, GraphQLSelectionSet? selection, JsonObject args, string path)
    {
        var where = BoolExpBuilder.PrimaryKey(table, args);
        return new SelectIr(table, Fields(table, selection, path), SelectArgs.None with { Where = where }, _rules.Select(table));
    }

    public List<SelectField> Fields(TableInfo table, GraphQLSelectionSet? selection, string path)
    {
        var fields = new List<SelectField>();
        foreach (var (key, nodes) in FieldCollector.Collect(selection, table.Name, scope))
        {
            var name = nodes[0].Name.StringValue;
            var at = $"{path}.{key}";
            if (name == "__typename") { fields.Add(new TypenameField(key, table.Name)); continue; }
            if (name == DistanceField.Name && DistanceField.Column(table) is { } located)
            {
                var a = ValueReader.Arguments(nodes[0], scope);
                fields.Add(new DistanceOutputField(key, located, a["from"]!.DeepClone(), a["use_spheroid"] is not JsonValue v || v.GetValue<bool>()));
                continue;
            }
            if (SensorRelationship(table, name, nodes, at) is { } sensors) { fields.Add(sensors with { Alias = key }); continue; }
            if (table.FindColumn(name) is { } column)
            {
                // The role's type has only the columns it may read; this holds if a name gets past it.
                if (!table.Access.Selects(column))
                    throw new ValidationFailedError($"field '{name}' not found in type: '{table.Name}'", at);
                fields.Add(new ColumnField(key, column) { Guard = _rules.ColumnGuard(table, column) });
                continue;
            }
            if (name.EndsWith("_aggregate", StringComparison.Ordinal)
                && table.FindRelationship(name[..^"_aggregate".Length]) is { Kind: not RelationshipKind.Object } aggregated)
            {
                fields.Add(new ArrayAggregateField(key, aggregated, BuildAggregate(catalog.Table(aggregated.RemoteTable),
                    FieldCollector.Merge(nodes), ValueReader.Arguments(nodes[0], scope), at)));
                continue;
            }
            if (table.FindRelationship(name) is not { } rel)
                throw new ValidationFailedError($"field '{name}' not found in type: '{table.Name}'", at);

            var remote = catalog.Table(rel.RemoteTable);
            var sub = FieldCollector.Merge(nodes);
            if (rel.Kind == RelationshipKind.Object)
                fields.Add(new ObjectRelationshipField(key, rel, Build(remote, sub, new JsonObject(), at)));
            else
                fields.Add(new ArrayRelationshipField(key, rel, Build(remote, sub, ValueReader.Arguments(nodes[0], scope), at)));
        }
        return fields;
    }

    // devices.latest_readings / devices.readings / phenom_reports.sensor_readings: rows of InfluxDB, keyed by the row's id.
    // The role's type has these fields only when it may read devices, so validation has already refused them otherwise.
    private SensorRelationshipField? SensorRelationship(TableInfo table, string name, List<GraphQLField> nodes, string at)
    {
        var kind = (table.Name, name) switch
        {
            (SensorTypes.DevicesTable, SensorTypes.LatestReadingsField) => SensorRelationshipKind.LatestReadings,
            (SensorTypes.DevicesTable, SensorTypes.DeviceReadingsField) => SensorRelationshipKind.DeviceReadings,
            (SensorTypes.ReportsTable, SensorTypes.ReportReadingsField) => (SensorRelationshipKind?)SensorRelationshipKind.ReportReadings,
            _ => null,
        };
        if (kind is null || !SensorTypes.Readable(catalog) || table.FindColumn("id") is not { } id) return null;
        var range = SensorRange.Read(ValueReader.Arguments(nodes[0], scope), at);
        return new SensorRelationshipField(name, kind.Value, id, range,
            SensorRange.Outputs(FieldCollector.Merge(nodes), SensorTypes.Reading, scope), at);
    }

    public AggregateSelectIr BuildAggregate(TableInfo table, GraphQLSelectionSet? selection, JsonObject args, string path)
    {
        var fields = new List<AggregateSelectField>();
        foreach (var (key, nodes) in FieldCollector.Collect(selection, TypeNames.Aggregate(table.Name), scope))
        {
            var at = $"{path}.{key}";
            fields.Add(nodes[0].Name.StringValue switch
            {
                "nodes" => new AggregateNodesField(key, Fields(table, FieldCollector.Merge(nodes), at)),
                "aggregate" => new AggregateFieldsField(key, Outputs(table, FieldCollector.Merge(nodes), at)),
                _ => new AggregateTypenameField(key, TypeNames.Aggregate(table.Name)),
            });
        }
        return new AggregateSelectIr(table, fields, Args(table, args, path), _rules.Select(table));
    }

    // An aggregate is computed over every row, so it may only read columns the role sees on every row.
    private List<AggregateOutput> Outputs(TableInfo table, GraphQLSelectionSet? selection, string path)
    {
        var outputs = new List<AggregateOutput>();
        foreach (var (key, nodes) in FieldCollector.Collect(selection, TypeNames.AggregateFields(table.Name), scope))
        {
            var name = nodes[0].Name.StringValue;
            if (name == "__typename") { outputs.Add(new AggregateOutputTypename(key, TypeNames.AggregateFields(table.Name))); continue; }
            if (name == "count")
            {
                var args = ValueReader.Arguments(nodes[0], scope);
                var columns = args["columns"] switch
                {
                    JsonArray a => a.Select(c => ArgumentColumns.Require(table, c, $"{path}.{key}.columns")).ToList(),
                    JsonValue v => [ArgumentColumns.Require(table, v, $"{path}.{key}.columns")],
                    _ => new List<ColumnInfo>()
                };
                outputs.Add(new CountOutput(key, columns, args["distinct"] is JsonValue d && d.GetValue<bool>()));
                continue;
            }
            var typeName = TypeNames.AggregateOpFields(table.Name, name);
            var columnsOut = FieldCollector.Collect(FieldCollector.Merge(nodes), typeName, scope)
                .Select(c => c.Fields[0].Name.StringValue == "__typename"
                    ? (c.Key, (ColumnInfo?)null, (string?)typeName)
                    : (c.Key, ArgumentColumns.Require(table, c.Fields[0].Name.StringValue, $"{path}.{key}.{c.Key}"), null))
                .ToList();
            outputs.Add(new FunctionOutput(key, name, columnsOut));
        }
        return outputs;
    }

    private SelectArgs Args(TableInfo table, JsonObject args, string path)
    {
        BoolExp? where = args["where"] is JsonObject w ? BoolExpBuilder.Build(w, table, catalog, $"{path}.args.where", _rules) : null;
        var orderBy = OrderByBuilder.Build(args["order_by"], table, catalog, _rules, $"{path}.args");
        var distinctOn = args["distinct_on"] is JsonNode d
            ? (d is JsonArray arr ? arr : new JsonArray(d.DeepClone())).Select(x => ArgumentColumns.Require(table, x, $"{path}.args.distinct_on")).ToList()
            : [];
        if (distinctOn.Count > 0 && !DistinctOnLeadsOrderBy(distinctOn, orderBy))
            throw new ValidationFailedError(
                "\"distinct_on\" columns must match initial \"order_by\" columns", $"{path}.args");
        return new SelectArgs(where, orderBy, NonNegative(args, "limit", path), NonNegative(args, "offset", path), distinctOn);
    }

    private static bool DistinctOnLeadsOrderBy(List<ColumnInfo> distinctOn, List<OrderByItem> orderBy)
    {
        var leading = orderBy.Take(distinctOn.Count).ToList();
        if (orderBy.Count == 0) return true;
        return leading.Count == distinctOn.Count
            && leading.All(o => o.Path.Count == 0 && o.Column is not null && o.Aggregate is null && o.DistanceFrom is null)
            && leading.Select(o => o.Column!.Name).ToHashSet().SetEquals(distinctOn.Select(c => c.Name));
    }

    private static long? NonNegative(JsonObject args, string name, string path)
    {
        if (args[name] is not JsonValue v) return null;
        var n = v.GetValue<long>();
        if (n < 0) throw new ValidationFailedError($"unexpected negative value for \"{name}\"", $"{path}.args.{name}");
        return n;
    }
}

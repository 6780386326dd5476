using GraphQLParser.AST;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sql;
using Peregrine.Graph.Sql.HexBins;
using Peregrine.Graph.Sql.Select;

namespace Peregrine.Graph.Compile;

/// <summary>
/// A query root field's IR, its one statement, and for the few fields PostgreSQL cannot answer whole,
/// the step that completes its JSON. Shared by the executor and the live-query analyzer, so a
/// multiplexed refresh runs exactly what a request would.
/// </summary>
public sealed record CompiledRootField(object Ir, CompiledStatement Statement, Func<string, string>? Finish = null)
{
    /// <summary>Fields of its rows answered from InfluxDB after the statement (markers in its JSON until then).</summary>
    public IReadOnlyList<SensorRelationshipField> SensorFields { get; } = SensorRelationships.In(Ir);
}

public static class RootFieldCompiler
{
    /// <summary>A query (or live query) root field by name; a field the role's schema lacks is a validation error.</summary>
    public static CompiledRootField CompileQueryRoot(GeneratedSchema generated, List<GraphQLField> nodes, RequestScope scope, string path, string rootType)
    {
        var name = nodes[0].Name.StringValue;
        var root = generated.FindQueryRoot(name) ?? throw new Errors.ValidationFailedError($"field '{name}' not found in type: '{rootType}'", path);
        return Compile(generated, root, nodes, scope, path);
    }

    public static CompiledRootField Compile(GeneratedSchema generated, RootField root, List<GraphQLField> nodes, RequestScope scope, string path)
    {
        var table = generated.Catalog.Table(root.Table);
        var builder = new SelectBuilder(generated.Catalog, scope);
        var args = ValueReader.Arguments(nodes[0], scope);
        var selection = FieldCollector.Merge(nodes);
        switch (root.Kind)
        {
            case RootFieldKind.HexBins:
                var bins = new HexBinsBuilder(generated.Catalog, scope).Build(table, root.H3!, selection, args, path);
                return new CompiledRootField(bins, HexBinsSql.Compile(bins), counts => HexBinsJson.Write(bins, counts));
            case RootFieldKind.Select:
                var list = NearbyCandidatesPlanner.Plan(generated.Catalog, builder.Build(table, selection, args, path));
                return new CompiledRootField(list, SelectSql.CompileList(list));
            case RootFieldKind.SelectByPk:
                var row = builder.ByPrimaryKey(table, selection, args, path);
                return new CompiledRootField(row, SelectSql.CompileSingle(row));
            case RootFieldKind.Search:
                var found = builder.Search(table, root.Search!, selection, args, path);
                return new CompiledRootField(found, SelectSql.CompileList(found));
            case RootFieldKind.SelectAggregate:
                var aggregate = builder.BuildAggregate(table, selection, args, path);
                return new CompiledRootField(aggregate, AggregateSql.Compile(aggregate));
            default:
                throw new NotSupportedException(root.Kind.ToString());
        }
    }
}

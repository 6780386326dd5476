using GraphQL.Conversion;
using GraphQL.Types;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Schema.Scalars;

namespace Peregrine.Graph.Schema;

/// <summary>
/// The GraphQL schema generated from metadata with Hasura's names, and the table of root fields the
/// executor compiles. GraphQL.NET holds it for parsing, validation and introspection only: no field
/// of it has a resolver that touches the database.
/// </summary>
public sealed class GeneratedSchema
{
    public ISchema Schema { get; }
    public CatalogMetadata Catalog { get; }
    private readonly Dictionary<string, RootField> _queryRoots = new();
    private readonly Dictionary<string, RootField> _mutationRoots = new();
    // Subscription-only root fields (sensor_readings_live); the others mirror the query roots.
    private readonly Dictionary<string, RootField> _subscriptionRoots = new();

    public GeneratedSchema(CatalogMetadata catalog)
    {
        Catalog = catalog;
        var query = new ObjectGraphType { Name = TypeNames.QueryRoot };
        var mutation = new ObjectGraphType { Name = TypeNames.MutationRoot };
        var subscription = new ObjectGraphType { Name = TypeNames.SubscriptionRoot };

        foreach (var table in catalog.Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            foreach (var (field, root) in RootFields.Queries(table))
            {
                query.AddField(field);
                subscription.AddField(Clone(field));
                _queryRoots[root.Name] = root;
            }
            foreach (var field in StreamFields.Fields(table)) subscription.AddField(field);
            foreach (var (field, root) in RootFields.Mutations(table))
            {
                mutation.AddField(field);
                _mutationRoots[root.Name] = root;
            }
        }

        foreach (var h3 in catalog.AllH3Columns)
        {
            var (field, root) = HexBinTypes.Root(h3);
            query.AddField(field);
            subscription.AddField(Clone(field));
            _queryRoots[root.Name] = root;
        }
        foreach (var search in catalog.Searches)
        {
            var (field, root) = RootFields.Search(search, catalog.Table(search.Table));
            query.AddField(field);
            subscription.AddField(Clone(field));
            _queryRoots[root.Name] = root;
        }

        if (DeviceCredentialTypes.Visible(catalog))
            foreach (var (field, root) in DeviceCredentialTypes.Mutations())
            {
                mutation.AddField(field);
                _mutationRoots[root.Name] = root;
            }

        foreach (var (field, root) in SensorTypes.Queries(catalog))
        {
            query.AddField(field);
            _queryRoots[root.Name] = root;
        }
        foreach (var (field, root) in SensorTypes.Mutations(catalog))
        {
            mutation.AddField(field);
            _mutationRoots[root.Name] = root;
        }
        foreach (var (field, root) in SensorTypes.Subscriptions(catalog))
        {
            subscription.AddField(field);
            _subscriptionRoots[root.Name] = root;
        }

        // Hasura's placeholder for a role that may read nothing: a root type needs a field.
        if (!query.Fields.Any())
            query.AddField(new FieldType { Name = "no_queries_available", ResolvedType = new NonNullGraphType(new StringGraphType()) });
        if (!subscription.Fields.Any())
            subscription.AddField(new FieldType
            {
                Name = "no_queries_available", ResolvedType = new NonNullGraphType(new StringGraphType()),
                StreamResolver = WebSocketOnlyStreamResolver.Instance,
            });

        var schema = new GraphQL.Types.Schema
        {
            Query = query,
            Mutation = mutation.Fields.Any() ? mutation : null,
            Subscription = subscription,
            NameConverter = DefaultNameConverter.Instance,
        };
        foreach (var type in NamedTypes(catalog))
            schema.RegisterType(type);
        schema.Initialize();
        Schema = schema;
    }

    public RootField? FindQueryRoot(string name) => _queryRoots.GetValueOrDefault(name);
    public RootField? FindMutationRoot(string name) => _mutationRoots.GetValueOrDefault(name);
    public RootField? FindSubscriptionRoot(string name) => _subscriptionRoots.GetValueOrDefault(name);

    private static IEnumerable<IGraphType> NamedTypes(CatalogMetadata catalog)
    {
        yield return new TextScalar("uuid");
        yield return new TextScalar("timestamptz");
        yield return new JsonValueScalar("jsonb");
        yield return new JsonValueScalar("geography", objectsOnly: true, "GeoJSON geography value");
        yield return new JsonValueScalar("geometry", objectsOnly: true, "GeoJSON geometry value");
        yield return new NumberScalar("bigint", integral: true);
        yield return new NumberScalar("numeric", integral: false);
        yield return OrderByTypes.OrderByEnum();
        foreach (var t in StreamFields.Types(catalog)) yield return t;
        yield return OrderByTypes.DistanceOrderBy();
        foreach (var search in catalog.Searches) yield return RootFields.SearchArgs(search);
        foreach (var h3 in catalog.AllH3Columns) yield return HexBinTypes.BinType(h3);
        if (DeviceCredentialTypes.Visible(catalog)) yield return DeviceCredentialTypes.Type();
        foreach (var t in SensorTypes.Types(catalog)) yield return t;

        // Int_comparison_exp is needed by aggregate predicates whatever the columns.
        var scalars = catalog.Tables.SelectMany(t => t.Columns).Select(c => c.Scalar).Append("Int").Order(StringComparer.Ordinal);
        foreach (var t in ComparisonExpTypes.Build(scalars)) yield return t;

        foreach (var table in catalog.Tables)
        {
            yield return TableObjectTypes.Build(table, catalog);
            yield return BoolExpTypes.Build(table, catalog);
            yield return OrderByTypes.Build(table, catalog);
            yield return OrderByTypes.SelectColumn(table);
            foreach (var t in InsertTypes.Build(table, catalog)) yield return t;
            if (table.Access.AllowAggregations)
                foreach (var t in AggregateTypes.Build(table)) yield return t;
            foreach (var t in UpdateDeleteTypes.Build(table)) yield return t;
        }
    }

    // Subscription root fields mirror the query fields (live queries); a FieldType belongs to one parent.
    private static FieldType Clone(FieldType f) => new()
    {
        Name = f.Name,
        Description = f.Description,
        StreamResolver = WebSocketOnlyStreamResolver.Instance,
        ResolvedType = f.ResolvedType is GraphQLTypeReference r ? new GraphQLTypeReference(r.TypeName) : CloneType(f.ResolvedType!),
        Arguments = f.Arguments is null ? null : new QueryArguments(f.Arguments.Select(a => new QueryArgument(CloneType(a.ResolvedType!)) { Name = a.Name, Description = a.Description })),
    };

    private static IGraphType CloneType(IGraphType t) => t switch
    {
        NonNullGraphType nn => new NonNullGraphType(CloneType(nn.ResolvedType!)),
        ListGraphType l => new ListGraphType(CloneType(l.ResolvedType!)),
        GraphQLTypeReference r => new GraphQLTypeReference(r.TypeName),
        _ => t
    };
}

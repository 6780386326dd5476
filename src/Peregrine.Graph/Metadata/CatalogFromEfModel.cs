using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Peregrine.Graph.Metadata;

/// <summary>
/// Derives the API's tables and relationships from the EF Core model, so the schema follows the
/// migrations instead of being written by hand. Relationships take the navigation's name in
/// snake_case; a navigation into a pure bridge table (its key is exactly two foreign keys and it has no
/// other column) becomes a many-to-many relationship to the table on the bridge's far side.
/// </summary>
public static class CatalogFromEfModel
{
    // Columns that belong to no role's schema, admin included (the auth endpoints own them).
    private static readonly HashSet<(string Table, string Column)> Hidden = [("users", "password_hash")];

    /// <summary>Tables with this prefix hold the auth service's own state (tokens, MFA) and are never exposed.</summary>
    public const string InternalTablePrefix = "auth_";

    /// <summary>
    /// Other tables no role's schema shows: device OAuth clients (hashed secrets) are read by the token endpoint
    /// only, alarm evaluation state by the alarm evaluator only.
    /// </summary>
    private static readonly HashSet<string> InternalTables = ["device_credentials", "alarm_states"];

    private static bool IsInternal(string table) =>
        table.StartsWith(InternalTablePrefix, StringComparison.Ordinal) || InternalTables.Contains(table);

    public static CatalogMetadata Build(IModel model, int h3Resolution = 7)
    {
        var entities = model.GetEntityTypes()
            .Where(e => e.GetTableName() is { } t && !IsInternal(t))
            .ToList();
        var tables = entities.Select(e => BuildTable(e)).ToList();
        return new CatalogMetadata(tables, SearchFunctionInfo.Declared, H3ColumnsInfo.Declared(h3Resolution));
    }

    private static TableInfo BuildTable(IEntityType entity)
    {
        var table = entity.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        var pk = entity.FindPrimaryKey()!;
        var pkColumns = pk.Properties.Select(p => p.GetColumnName(store)!).ToList();

        var columns = entity.GetProperties()
            .Select(p => (Property: p, Name: p.GetColumnName(store)!))
            .Where(x => !Hidden.Contains((table, x.Name)))
            .Select(x => new ColumnInfo(
                x.Name,
                x.Property.GetColumnType(store)!,
                ScalarMapping.FromPgType(x.Property.GetColumnType(store)!),
                x.Property.IsNullable,
                x.Property.GetDefaultValueSql(store) is not null || x.Property.ValueGenerated != ValueGenerated.Never,
                pkColumns.Contains(x.Name)))
            .ToList();

        var uniques = entity.GetKeys()
            .Select(k => new UniqueConstraintInfo(k.GetName(store)!, k.Properties.Select(p => p.GetColumnName(store)!).ToList()))
            .ToList();

        var relationships = new List<RelationshipInfo>();
        foreach (var fk in entity.GetForeignKeys())
        {
            if (fk.DependentToPrincipal is null) continue;
            relationships.Add(new RelationshipInfo(
                SnakeCase(fk.DependentToPrincipal.Name), RelationshipKind.Object, fk.PrincipalEntityType.GetTableName()!,
                Columns(fk.Properties, store), Columns(fk.PrincipalKey.Properties, PrincipalStore(fk)))
            { LocalHoldsForeignKey = true });
        }
        foreach (var fk in entity.GetReferencingForeignKeys())
        {
            if (fk.PrincipalToDependent is null) continue;
            if (IsInternal(fk.DeclaringEntityType.GetTableName()!)) continue;
            var name = SnakeCase(fk.PrincipalToDependent.Name);
            var dependent = fk.DeclaringEntityType;
            var dependentStore = StoreObjectIdentifier.Table(dependent.GetTableName()!, dependent.GetSchema());
            var farSide = BridgeFarSide(dependent, fk);
            if (farSide is not null)
            {
                relationships.Add(new RelationshipInfo(
                    name, RelationshipKind.ManyToMany, farSide.PrincipalEntityType.GetTableName()!,
                    Columns(fk.PrincipalKey.Properties, store), Columns(farSide.PrincipalKey.Properties, PrincipalStore(farSide)),
                    dependent.GetTableName(), Columns(fk.Properties, dependentStore), Columns(farSide.Properties, dependentStore)));
                continue;
            }
            var kind = fk.IsUnique ? RelationshipKind.Object : RelationshipKind.Array;
            relationships.Add(new RelationshipInfo(
                name, kind, dependent.GetTableName()!,
                Columns(fk.PrincipalKey.Properties, store), Columns(fk.Properties, dependentStore)));
        }

        return new TableInfo(table, columns, pkColumns, uniques, relationships);
    }

    private static IForeignKey? BridgeFarSide(IEntityType bridge, IForeignKey near)
    {
        var fks = bridge.GetForeignKeys().ToList();
        var key = bridge.FindPrimaryKey();
        if (fks.Count != 2 || key is null) return null;
        var keyProps = key.Properties.ToHashSet();
        if (bridge.GetProperties().Count() != keyProps.Count) return null;
        if (!fks.All(f => f.Properties.All(keyProps.Contains))) return null;
        return fks.Single(f => f != near);
    }

    private static StoreObjectIdentifier PrincipalStore(IForeignKey fk) =>
        StoreObjectIdentifier.Table(fk.PrincipalEntityType.GetTableName()!, fk.PrincipalEntityType.GetSchema());

    private static List<string> Columns(IEnumerable<IProperty> props, StoreObjectIdentifier store) =>
        props.Select(p => p.GetColumnName(store)!).ToList();

    public static string SnakeCase(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}

using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Ir;

/// <summary>A selection from one table, with its arguments and the role's permission already folded in.</summary>
public sealed record SelectIr(TableInfo Table, IReadOnlyList<SelectField> Fields, SelectArgs Args, TablePermission Permission);

public sealed record SelectArgs(
    BoolExp? Where,
    IReadOnlyList<OrderByItem> OrderBy,
    long? Limit,
    long? Offset,
    IReadOnlyList<ColumnInfo> DistinctOn)
{
    public static readonly SelectArgs None = new(null, [], null, null, []);
}

public abstract record SelectField(string Alias);

public sealed record ColumnField(string Alias, ColumnInfo Column) : SelectField(Alias);

public sealed record TypenameField(string Alias, string TypeName) : SelectField(Alias);

public sealed record ObjectRelationshipField(string Alias, RelationshipInfo Relationship, SelectIr Select) : SelectField(Alias);

/// <summary>An array or many-to-many relationship: a JSON array of the related rows.</summary>
public sealed record ArrayRelationshipField(string Alias, RelationshipInfo Relationship, SelectIr Select) : SelectField(Alias);

/// <summary>
/// One ordering key, reached through the object relationships of <see cref="Path"/>: a column, or an
/// aggregate over an array relationship (<see cref="Aggregate"/>, with <see cref="Column"/> null).
/// </summary>
public sealed record OrderByItem(IReadOnlyList<RelationshipInfo> Path, ColumnInfo? Column, bool Descending, bool NullsFirst)
{
    public AggregateOrderKey? Aggregate { get; init; }
}

/// <summary>What a role may see of a table: a row filter and a row limit (admin: neither).</summary>
public sealed record TablePermission(BoolExp? Filter, long? Limit)
{
    public static readonly TablePermission Unrestricted = new(null, null);
}

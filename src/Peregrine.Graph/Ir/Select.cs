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

    /// <summary>A full-text search the rows must match (search root fields only).</summary>
    public TextSearch? Search { get; init; }

    /// <summary>Where to start looking for rows near a point (top-level lists only); see <see cref="NearbyCandidates"/>.</summary>
    public NearbyCandidates? Nearby { get; init; }
}

/// <summary>The words of a search root field, and what they are matched against.</summary>
public sealed record TextSearch(SearchFunctionInfo Function, TableInfo Table, string Query)
{
    /// <summary>The role's row filter on the related table whose text is searched too: hidden rows neither match nor rank.</summary>
    public BoolExp? RelatedFilter { get; init; }
}

public abstract record SelectField(string Alias);

public sealed record ColumnField(string Alias, ColumnInfo Column) : SelectField(Alias)
{
    /// <summary>The column is shown only on rows matching this (a role's column filter); null elsewhere.</summary>
    public BoolExp? Guard { get; init; }
}

public sealed record TypenameField(string Alias, string TypeName) : SelectField(Alias);

/// <summary>Metres from the GeoJSON point <see cref="From"/> to <see cref="Column"/>.</summary>
public sealed record DistanceOutputField(string Alias, ColumnInfo Column, System.Text.Json.Nodes.JsonNode From, bool UseSpheroid) : SelectField(Alias);

public sealed record ObjectRelationshipField(string Alias, RelationshipInfo Relationship, SelectIr Select) : SelectField(Alias);

/// <summary>An array or many-to-many relationship: a JSON array of the related rows.</summary>
public sealed record ArrayRelationshipField(string Alias, RelationshipInfo Relationship, SelectIr Select) : SelectField(Alias);

/// <summary>
/// One ordering key, reached through the object relationships of <see cref="Path"/>: a column, or an
/// aggregate over an array relationship (<see cref="Aggregate"/>, with <see cref="Column"/> null).
/// </summary>
public sealed record OrderByItem(IReadOnlyList<RelationshipInfo> Path, ColumnInfo? Column, bool Descending, bool NullsFirst)
{
    /// <summary>Per step of <see cref="Path"/>, the role's row filter on the table it reaches (null: none); a hidden row orders as NULL.</summary>
    public IReadOnlyList<BoolExp?> PathFilters { get; init; } = [];

    public AggregateOrderKey? Aggregate { get; init; }

    /// <summary>Orders by the distance of <see cref="Column"/> from this GeoJSON point (nearest first when ascending).</summary>
    public System.Text.Json.Nodes.JsonNode? DistanceFrom { get; init; }

    /// <summary>Orders by the relevance of <see cref="TextSearch"/> (with <see cref="Column"/> null).</summary>
    public TextSearch? Rank { get; init; }
}

/// <summary>What a role may see of a table: a row filter and a row limit (admin: neither).</summary>
public sealed record TablePermission(BoolExp? Filter, long? Limit)
{
    public static readonly TablePermission Unrestricted = new(null, null);
}

using System.Text.Json.Nodes;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Ir;

/// <summary><c>&lt;t&gt;_aggregate</c>: the rows chosen by <see cref="Args"/>, summarised and/or listed.</summary>
public sealed record AggregateSelectIr(TableInfo Table, IReadOnlyList<AggregateSelectField> Fields, SelectArgs Args, TablePermission Permission);

public abstract record AggregateSelectField(string Alias);

/// <summary><c>nodes { ... }</c>: the rows themselves.</summary>
public sealed record AggregateNodesField(string Alias, IReadOnlyList<SelectField> Fields) : AggregateSelectField(Alias);

/// <summary><c>aggregate { count sum {...} ... }</c>.</summary>
public sealed record AggregateFieldsField(string Alias, IReadOnlyList<AggregateOutput> Outputs) : AggregateSelectField(Alias);

public sealed record AggregateTypenameField(string Alias, string TypeName) : AggregateSelectField(Alias);

public abstract record AggregateOutput(string Alias);

public sealed record CountOutput(string Alias, IReadOnlyList<ColumnInfo> Columns, bool Distinct) : AggregateOutput(Alias);

/// <summary><c>max { timestamp }</c>: one function over several columns; a null column means <c>__typename</c>.</summary>
public sealed record FunctionOutput(string Alias, string Function, IReadOnlyList<(string Alias, ColumnInfo? Column, string? TypeName)> Columns)
    : AggregateOutput(Alias);

public sealed record AggregateOutputTypename(string Alias, string TypeName) : AggregateOutput(Alias);

/// <summary><c>&lt;rel&gt;_aggregate</c> on an array relationship, inside a row.</summary>
public sealed record ArrayAggregateField(string Alias, RelationshipInfo Relationship, AggregateSelectIr Select) : SelectField(Alias);

/// <summary>
/// <c>&lt;rel&gt;_aggregate: {count: {arguments, distinct, filter, predicate}}</c>: compares the number of
/// related rows (matching <see cref="Filter"/>) with each predicate operator.
/// </summary>
public sealed record AggregateCountExp(
    RelationshipInfo Relationship,
    TableInfo Remote,
    IReadOnlyList<ColumnInfo> Arguments,
    bool Distinct,
    BoolExp? Filter,
    IReadOnlyList<(string Operator, JsonNode? Operand)> Predicate) : BoolExp;

/// <summary>An ordering key computed over an array relationship: <c>count</c>, or a function of one column.</summary>
public sealed record AggregateOrderKey(RelationshipInfo Relationship, string Function, ColumnInfo? Column)
{
    /// <summary>The role's row filter on the related table: only rows it may read are aggregated.</summary>
    public BoolExp? Filter { get; init; }
}

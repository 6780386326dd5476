using System.Text.Json.Nodes;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Ir;

/// <summary>A <c>where</c> as plain data: what to compare, not how SQL spells it.</summary>
public abstract record BoolExp;

public sealed record AndExp(IReadOnlyList<BoolExp> Items) : BoolExp;

public sealed record OrExp(IReadOnlyList<BoolExp> Items) : BoolExp;

public sealed record NotExp(BoolExp Inner) : BoolExp;

/// <summary><c>column: {_op: value}</c>; <see cref="Value"/> is the client's JSON value, bound later as a parameter.</summary>
public sealed record ColumnCompareExp(ColumnInfo Column, string Operator, JsonNode? Operand) : BoolExp
{
    /// <summary>Set by <c>_cast</c>: the column is read as this type (e.g. jsonb as text) before comparing.</summary>
    public ColumnInfo? CastTo { get; init; }
}

/// <summary>A filter through a relationship: some related row satisfies <see cref="Inner"/>.</summary>
public sealed record RelationshipExp(RelationshipInfo Relationship, TableInfo Remote, BoolExp Inner) : BoolExp;

/// <summary>A session-variable comparison resolved at compile time, e.g. a role filter on X-Hasura-User-Id.</summary>
public sealed record ConstantExp(bool Value) : BoolExp
{
    public static readonly ConstantExp True = new(true);
}

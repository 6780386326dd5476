using System.Text.Json.Nodes;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Ir;

/// <summary>What a mutation root field writes: an insert, an update or a delete.</summary>
public abstract record MutationAction(TableInfo Table);

/// <summary>Rows to insert into one table, each with the nested rows that hang off it.</summary>
public sealed record InsertIr(TableInfo Table, IReadOnlyList<InsertRow> Rows, OnConflictIr? OnConflict) : MutationAction(Table)
{
    /// <summary>The role's insert check: every row written must satisfy it, or the whole request fails.</summary>
    public BoolExp? Check { get; init; }
}

/// <summary>Rows matching <see cref="Where"/> get each column's operators applied, in order.</summary>
public sealed record UpdateIr(TableInfo Table, BoolExp Where, IReadOnlyList<UpdateOp> Ops) : MutationAction(Table)
{
    /// <summary>The role's update check on the rows as they are after the update.</summary>
    public BoolExp? Check { get; init; }
}

/// <summary><c>_set</c>, <c>_inc</c>, <c>_append</c>, <c>_prepend</c>, <c>_delete_key</c>, <c>_delete_elem</c> or <c>_delete_at_path</c> on one column.</summary>
public sealed record UpdateOp(ColumnInfo Column, string Operator, JsonNode? Value);

public sealed record DeleteIr(TableInfo Table, BoolExp Where) : MutationAction(Table);

public sealed record InsertRow(
    IReadOnlyList<(ColumnInfo Column, JsonNode? Value)> Values,
    IReadOnlyList<NestedObjectInsert> ObjectRelationships,
    IReadOnlyList<NestedArrayInsert> ArrayRelationships);

/// <summary>An object relationship's row, inserted first so its key can fill the parent's foreign key.</summary>
public sealed record NestedObjectInsert(RelationshipInfo Relationship, InsertIr Insert);

/// <summary>Array or many-to-many rows, inserted after the parent that they point at (through a bridge for many-to-many).</summary>
public sealed record NestedArrayInsert(RelationshipInfo Relationship, InsertIr Insert)
{
    /// <summary>For many-to-many: the bridge table, and the role's insert check on the bridge rows.</summary>
    public TableInfo? BridgeTable { get; init; }
    public BoolExp? BridgeCheck { get; init; }
}

public sealed record OnConflictIr(UniqueConstraintInfo Constraint, IReadOnlyList<ColumnInfo> UpdateColumns, BoolExp? Where);

/// <summary>One write and its answer: <c>{affected_rows, returning}</c> or a single row.</summary>
public sealed record MutationIr(MutationAction Action, MutationOutput Output)
{
    /// <summary>The role's select filter: an answer shows only written rows the role may read.</summary>
    public BoolExp? ReturningFilter { get; init; }
}

/// <summary>A mutation root field: one step, or several answered as a list (<c>update_t_many</c>).</summary>
public sealed record MutationRootIr(IReadOnlyList<MutationIr> Steps, bool IsList);

public abstract record MutationOutput;

public sealed record MutationResponseOutput(IReadOnlyList<MutationResponseField> Fields) : MutationOutput;

public sealed record SingleRowOutput(IReadOnlyList<SelectField> Fields) : MutationOutput;

public abstract record MutationResponseField(string Alias);

public sealed record AffectedRowsField(string Alias) : MutationResponseField(Alias);

public sealed record ReturningField(string Alias, IReadOnlyList<SelectField> Fields) : MutationResponseField(Alias);

public sealed record MutationTypenameField(string Alias, string TypeName) : MutationResponseField(Alias);

using System.Text.Json.Nodes;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Ir;

/// <summary>Rows to insert into one table, each with the nested rows that hang off it.</summary>
public sealed record InsertIr(TableInfo Table, IReadOnlyList<InsertRow> Rows, OnConflictIr? OnConflict);

public sealed record InsertRow(
    IReadOnlyList<(ColumnInfo Column, JsonNode? Value)> Values,
    IReadOnlyList<NestedObjectInsert> ObjectRelationships,
    IReadOnlyList<NestedArrayInsert> ArrayRelationships);

/// <summary>An object relationship's row, inserted first so its key can fill the parent's foreign key.</summary>
public sealed record NestedObjectInsert(RelationshipInfo Relationship, InsertIr Insert);

/// <summary>Array or many-to-many rows, inserted after the parent that they point at (through a bridge for many-to-many).</summary>
public sealed record NestedArrayInsert(RelationshipInfo Relationship, InsertIr Insert);

public sealed record OnConflictIr(UniqueConstraintInfo Constraint, IReadOnlyList<ColumnInfo> UpdateColumns, BoolExp? Where);

/// <summary>The root field's shape: <c>insert_t</c> answers <c>{affected_rows, returning}</c>, <c>insert_t_one</c> a row.</summary>
public sealed record MutationIr(InsertIr Insert, MutationOutput Output);

public abstract record MutationOutput;

public sealed record MutationResponseOutput(IReadOnlyList<MutationResponseField> Fields) : MutationOutput;

public sealed record SingleRowOutput(IReadOnlyList<SelectField> Fields) : MutationOutput;

public abstract record MutationResponseField(string Alias);

public sealed record AffectedRowsField(string Alias) : MutationResponseField(Alias);

public sealed record ReturningField(string Alias, IReadOnlyList<SelectField> Fields) : MutationResponseField(Alias);

public sealed record MutationTypenameField(string Alias, string TypeName) : MutationResponseField(Alias);

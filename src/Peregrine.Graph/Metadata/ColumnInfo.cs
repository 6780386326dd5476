namespace Peregrine.Graph.Metadata;

/// <summary>A column as the API sees it: its SQL name and type, and the GraphQL scalar it maps to.</summary>
public sealed record ColumnInfo(
    string Name,
    string PgType,
    string Scalar,
    bool IsNullable,
    bool HasDefault,
    bool IsPrimaryKey);

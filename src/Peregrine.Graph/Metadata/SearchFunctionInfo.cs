namespace Peregrine.Graph.Metadata;

/// <summary>
/// A ranked full-text search root field (<c>search_&lt;table&gt;(args: {search})</c>, like a Hasura SQL
/// function field): matches <see cref="Column"/> of the table, or <see cref="RelatedColumn"/> of a row
/// reached through <see cref="Relationship"/>. Uses the same <c>to_tsvector(config, coalesce(col, ''))</c>
/// expression as the GIN index, so the planner can use it.
/// </summary>
public sealed record SearchFunctionInfo(
    string Name, string Table, string Column, string? Relationship, string? RelatedColumn, string Config = "english")
{
    /// <summary>The searches the API offers; the app's <c>search(query)</c> is the first.</summary>
    public static readonly IReadOnlyList<SearchFunctionInfo> Declared =
    [
        new("search_phenom_reports", "phenom_reports", "description", "categories", "name"),
    ];
}

namespace Peregrine.Graph.Metadata;

/// <summary>Which aggregate functions apply to which columns, and the scalar each one answers with.</summary>
public static class AggregateFunctions
{
    public static readonly string[] Numeric = ["avg", "stddev", "stddev_pop", "stddev_samp", "sum", "var_pop", "var_samp", "variance"];
    public static readonly string[] Ordered = ["max", "min"];
    public static IEnumerable<string> All => Numeric.Concat(Ordered);

    private static readonly HashSet<string> NumericScalars = ["Int", "bigint", "smallint", "Float", "float4", "numeric"];
    private static readonly HashSet<string> OrderedScalars = ["Int", "bigint", "smallint", "Float", "float4", "numeric", "String", "timestamptz", "timestamp", "date"];

    /// <summary>An aggregate reads every row, so it takes only columns the role sees on every row.</summary>
    public static IReadOnlyList<ColumnInfo> Columns(TableInfo table, string function) =>
        table.FilterableColumns.Where(c => (Numeric.Contains(function) ? NumericScalars : OrderedScalars).Contains(c.Scalar)).ToList();

    /// <summary>The scalar of <paramref name="function"/> over <paramref name="column"/>: sums keep the type, statistics are Float.</summary>
    public static string ResultScalar(string function, ColumnInfo column) => function switch
    {
        "max" or "min" => column.Scalar,
        "sum" => column.Scalar is "Int" or "smallint" ? "bigint" : column.Scalar,
        _ => "Float"
    };
}

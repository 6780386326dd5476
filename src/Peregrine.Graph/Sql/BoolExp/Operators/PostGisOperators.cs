using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Sql.Values;

namespace Peregrine.Graph.Sql.BoolExp.Operators;

/// <summary>PostGIS predicates; <c>_st_d_within</c> takes <c>{from, distance, use_spheroid}</c>.</summary>
public static class PostGisOperators
{
    public static readonly IReadOnlyDictionary<string, OperatorSql> All = new Dictionary<string, OperatorSql>
    {
        ["_st_contains"] = Function("ST_Contains"),
        ["_st_crosses"] = Function("ST_Crosses"),
        ["_st_equals"] = Function("ST_Equals"),
        ["_st_intersects"] = Function("ST_Intersects"),
        ["_st_overlaps"] = Function("ST_Overlaps"),
        ["_st_touches"] = Function("ST_Touches"),
        ["_st_within"] = Function("ST_Within"),
        ["_st_d_within"] = DWithin,
    };

    private static OperatorSql Function(string name) => (w, left, column, operand) =>
    {
        w.Append(name).Append('(');
        left(w);
        w.Append(", ");
        ValueSql.Write(w, operand, column);
        w.Append(')');
    };

    private static void DWithin(SqlWriter w, Action<SqlWriter> left, ColumnInfo column, JsonNode? operand)
    {
        if (operand is not JsonObject o || o["from"] is null || o["distance"] is null)
            throw new ValidationFailedError("_st_d_within expects {from, distance}");
        w.Append("ST_DWithin(");
        left(w);
        w.Append(", ");
        ValueSql.Write(w, o["from"], column);
        w.Append(", ").Param(o["distance"]!.ToJsonString()).Append("::float8");
        if (column.Scalar == "geography")
        {
            var spheroid = o["use_spheroid"] is not JsonValue v || v.GetValue<bool>();
            w.Append(spheroid ? ", true" : ", false");
        }
        w.Append(')');
    }
}

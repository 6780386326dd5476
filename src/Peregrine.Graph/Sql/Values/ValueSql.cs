using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Sql.Values;

/// <summary>
/// Writes a client value as a typed SQL expression: a text parameter cast to the column's type, so
/// PostgreSQL's own input functions judge the format and a bad value fails as <c>data-exception</c>.
/// </summary>
public static class ValueSql
{
    public static void Write(SqlWriter w, JsonNode? value, ColumnInfo column, string path = "$")
    {
        if (value is null)
        {
            w.Append("NULL::").Append(CastType(column));
            return;
        }
        switch (column.Scalar)
        {
            // A scalar subquery: with a prepared statement's generic plan, the GeoJSON is parsed once per
            // statement (an InitPlan), not once per row the filter looks at.
            case "geography":
                GeoJsonCheck.EnsureGeographyRange(value, path);
                w.Append("(SELECT ST_GeomFromGeoJSON(").Param(value.ToJsonString()).Append(")::geography)");
                return;
            case "geometry":
                w.Append("(SELECT ST_GeomFromGeoJSON(").Param(value.ToJsonString()).Append("))");
                return;
            default:
                w.Param(Text(value, column)).Append("::").Append(CastType(column));
                return;
        }
    }

    /// <summary>A list of values for <c>_in</c>/<c>_nin</c>: one text[] parameter cast to the column's array type.</summary>
    public static void WriteArray(SqlWriter w, JsonNode? value, ColumnInfo column)
    {
        var items = value is JsonArray a ? a : new JsonArray(value?.DeepClone());
        var texts = items.Select(x => x is null ? null : Text(x, column)).ToArray();
        w.Param(texts).Append("::").Append(CastType(column)).Append("[]");
    }

    public static string Text(JsonNode value, ColumnInfo column)
    {
        if (column.Scalar is "jsonb" or "json") return value.ToJsonString();
        if (value is JsonValue v)
        {
            if (v.TryGetValue<string>(out var s)) return s;
            if (v.TryGetValue<bool>(out var b)) return b ? "true" : "false";
            if (v.TryGetValue<JsonElement>(out var e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False)
                return e.ValueKind == JsonValueKind.True ? "true" : "false";
        }
        return value.ToJsonString();
    }

    public static string CastType(ColumnInfo column) => column.Scalar switch
    {
        "geography" => "geography",
        "geometry" => "geometry",
        _ => column.PgType
    };
}

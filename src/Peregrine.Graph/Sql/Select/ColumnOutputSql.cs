using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Sql.Select;

/// <summary>A column as it appears in the answer; spatial values leave as GeoJSON, as Hasura sends them.</summary>
public static class ColumnOutputSql
{
    public static void Write(SqlWriter w, ColumnInfo column, string alias)
    {
        switch (column.Scalar)
        {
            case "geography" or "geometry":
                // Hasura's form: 15 decimal digits and the long CRS name.
                w.Append("ST_AsGeoJSON(").Append(alias).Append('.').Ident(column.Name).Append(", 15, 4)::json");
                break;
            default:
                w.Append(alias).Append('.').Ident(column.Name);
                break;
        }
    }
}

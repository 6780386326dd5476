namespace Peregrine.Graph.Metadata;

/// <summary>PostgreSQL column types to the GraphQL scalars Hasura names them with.</summary>
public static class ScalarMapping
{
    public static string FromPgType(string pgType)
    {
        var t = pgType.ToLowerInvariant();
        if (t.StartsWith("geography")) return "geography";
        if (t.StartsWith("geometry")) return "geometry";
        if (t.StartsWith("numeric") || t.StartsWith("decimal")) return "numeric";
        if (t.StartsWith("character varying") || t.StartsWith("varchar")) return "String";
        return t switch
        {
            "uuid" => "uuid",
            "text" => "String",
            "jsonb" => "jsonb",
            "json" => "json",
            "timestamp with time zone" or "timestamptz" => "timestamptz",
            "timestamp without time zone" or "timestamp" => "timestamp",
            "date" => "date",
            "integer" or "int" or "int4" => "Int",
            "smallint" or "int2" => "smallint",
            "bigint" or "int8" => "bigint",
            "boolean" or "bool" => "Boolean",
            "double precision" or "float8" => "Float",
            "real" or "float4" => "float4",
            _ => throw new NotSupportedException($"column type '{pgType}' has no GraphQL scalar")
        };
    }
}

using Peregrine.Graph.Ir;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Sql.BoolExp;

namespace Peregrine.Graph.Sql.Mutation;

/// <summary>Counts the written rows (given by key) that fail a role's check.</summary>
public static class CheckSql
{
    public static CompiledStatement Compile(TableInfo table, Ir.BoolExp check, string keysJson)
    {
        var w = new SqlWriter();
        var keys = w.AddParameter(keysJson);
        w.Append("SELECT count(*)::text FROM json_array_elements(").Append(keys).Append("::json) _k JOIN ").Ident(table.Name).Append(" _x ON ");
        for (var i = 0; i < table.PrimaryKey.Count; i++)
        {
            if (i > 0) w.Append(" AND ");
            var col = table.Column(table.PrimaryKey[i]);
            w.Append("_x.").Ident(col.Name).Append(" = (_k.value->>").Literal(col.Name).Append(")::").Append(col.PgType);
        }
        w.Append(" WHERE NOT (");
        BoolExpSql.Write(w, check, "_x");
        w.Append(')');
        return w.Build();
    }
}

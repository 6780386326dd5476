using Peregrine.Graph.Ir;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Sql.Search;

/// <summary>
/// Full-text match and rank. The match is a key IN (rows whose own text matches UNION rows whose
/// related rows' text matches), so each side can use its GIN index instead of a scan with an OR.
/// </summary>
public static class TextSearchSql
{
    public static void WriteMatch(SqlWriter w, TextSearch search, string alias)
    {
        var f = search.Function;
        var table = search.Table;
        var key = table.PrimaryKey[0];
        w.Append(alias).Append('.').Ident(key).Append(" IN (SELECT _m.").Ident(key).Append(" FROM ").Ident(table.Name).Append(" _m WHERE ");
        Vector(w, f, "_m", f.Column);
        w.Append(" @@ ");
        Query(w, search);
        if (f.Relationship is not null && table.FindRelationship(f.Relationship) is { } rel)
        {
            w.Append(" UNION ");
            WriteRelatedKeys(w, rel, search);
        }
        w.Append(')');
    }

    /// <summary>ts_rank of the row's own text, plus a tenth for each related row that matches.</summary>
    public static void WriteRank(SqlWriter w, TextSearch search, string alias)
    {
        var f = search.Function;
        var table = search.Table;
        w.Append("(ts_rank(");
        Vector(w, f, alias, f.Column);
        w.Append(", ");
        Query(w, search);
        w.Append(')');
        if (f.Relationship is not null && table.FindRelationship(f.Relationship) is { } rel)
        {
            w.Append(" + 0.1 * (SELECT count(*) FROM ");
            Sql.BoolExp.RelationshipJoin.WriteFromAndCondition(w, rel, alias, "_rr");
            w.Append(" AND ");
            Vector(w, f, "_rr", f.RelatedColumn!);
            w.Append(" @@ ");
            Query(w, search);
            WriteRelatedFilter(w, search, "_rr");
            w.Append(')');
        }
        w.Append(')');
    }

    // The keys (in the searched table's terms) of rows whose related rows match.
    private static void WriteRelatedKeys(SqlWriter w, RelationshipInfo rel, TextSearch search)
    {
        var f = search.Function;
        if (rel.Kind == RelationshipKind.ManyToMany)
        {
            w.Append("SELECT _b.").Ident(rel.BridgeLocalColumns![0]).Append(" FROM ").Ident(rel.Bridge!).Append(" _b JOIN ")
                .Ident(rel.RemoteTable).Append(" _r ON _r.").Ident(rel.RemoteColumns[0]).Append(" = _b.").Ident(rel.BridgeRemoteColumns![0]);
        }
        else
        {
            w.Append("SELECT _r.").Ident(rel.RemoteColumns[0]).Append(" FROM ").Ident(rel.RemoteTable).Append(" _r");
        }
        w.Append(" WHERE ");
        Vector(w, f, "_r", f.RelatedColumn!);
        w.Append(" @@ ");
        Query(w, search);
        WriteRelatedFilter(w, search, "_r");
    }

    // Related rows the role may not read neither match nor rank.
    private static void WriteRelatedFilter(SqlWriter w, TextSearch search, string alias)
    {
        if (search.RelatedFilter is null) return;
        w.Append(" AND ");
        Sql.BoolExp.BoolExpSql.Write(w, search.RelatedFilter, alias);
    }

    private static void Vector(SqlWriter w, SearchFunctionInfo f, string alias, string column) =>
        w.Append("to_tsvector(").Literal(f.Config).Append("::regconfig, COALESCE(").Append(alias).Append('.').Ident(column).Append(", ''::text))");

    private static void Query(SqlWriter w, TextSearch search) =>
        w.Append("websearch_to_tsquery(").Literal(search.Function.Config).Append("::regconfig, ").Param(search.Query).Append("::text)");
}

using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Sql.BoolExp;

/// <summary>
/// Writes <c>&lt;remote table&gt; &lt;remote alias&gt; WHERE &lt;join to the parent row&gt;</c> for any kind of
/// relationship; a many-to-many relationship joins through its bridge table.
/// </summary>
public static class RelationshipJoin
{
    public static void WriteFromAndCondition(SqlWriter w, RelationshipInfo rel, string parent, string remote)
    {
        w.Ident(rel.RemoteTable).Append(' ').Append(remote);
        if (rel.Kind != RelationshipKind.ManyToMany)
        {
            w.Append(" WHERE ");
            Pairs(w, parent, rel.LocalColumns, remote, rel.RemoteColumns);
            return;
        }
        var bridge = w.NextAlias("b");
        w.Append(" JOIN ").Ident(rel.Bridge!).Append(' ').Append(bridge).Append(" ON ");
        Pairs(w, bridge, rel.BridgeRemoteColumns!, remote, rel.RemoteColumns);
        w.Append(" WHERE ");
        Pairs(w, parent, rel.LocalColumns, bridge, rel.BridgeLocalColumns!);
    }

    private static void Pairs(SqlWriter w, string left, IReadOnlyList<string> leftCols, string right, IReadOnlyList<string> rightCols)
    {
        for (var i = 0; i < leftCols.Count; i++)
        {
            if (i > 0) w.Append(" AND ");
            w.Append(left).Append('.').Ident(leftCols[i]).Append(" = ").Append(right).Append('.').Ident(rightCols[i]);
        }
    }
}

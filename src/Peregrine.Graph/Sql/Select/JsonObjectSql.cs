using Peregrine.Graph.Ir;

namespace Peregrine.Graph.Sql.Select;

/// <summary>The <c>json_build_object(...)</c> of one row's selected fields, keyed by response key.</summary>
public static class JsonObjectSql
{
    // json_build_object takes at most 100 arguments; wider selections are built in chunks and merged.
    private const int PairsPerCall = 50;

    public static void Write(SqlWriter w, IReadOnlyList<SelectField> fields, string alias)
    {
        if (fields.Count <= PairsPerCall)
        {
            WriteChunk(w, fields, alias);
            return;
        }
        // jsonb || would merge the chunks but re-sort their keys; the response keeps the selection's order,
        // so the chunks' members are joined as text: '{' || members of chunk 1 || ',' || ... || '}'.
        w.Append("('{' || ");
        WriteMembers(w, fields.Chunk(PairsPerCall).ToList(), alias);
        w.Append(" || '}')::json");
    }

    // A balanced tree of ||, not a chain: each || copies both sides, so a chain over a very wide
    // selection (a megabyte of aliases) is quadratic and runs for minutes; the tree stays n log n.
    private static void WriteMembers(SqlWriter w, IReadOnlyList<SelectField[]> chunks, string alias)
    {
        if (chunks.Count == 1)
        {
            // The object's text without its braces: its members.
            w.Append("left(right(");
            WriteChunk(w, chunks[0], alias);
            w.Append("::text, -1), -1)");
            return;
        }
        var half = chunks.Count / 2;
        w.Append('(');
        WriteMembers(w, chunks.Take(half).ToList(), alias);
        w.Append(" || ',' || ");
        WriteMembers(w, chunks.Skip(half).ToList(), alias);
        w.Append(')');
    }

    private static void WriteChunk(SqlWriter w, IReadOnlyList<SelectField> fields, string alias)
    {
        w.Append("json_build_object(");
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) w.Append(", ");
            var f = fields[i];
            w.Literal(f.Alias).Append(", ");
            switch (f)
            {
                case ColumnField { Guard: { } guard } c:
                    w.Append("CASE WHEN ");
                    BoolExp.BoolExpSql.Write(w, guard, alias);
                    w.Append(" THEN ");
                    ColumnOutputSql.Write(w, c.Column, alias);
                    w.Append(" END");
                    break;
                case ColumnField c: ColumnOutputSql.Write(w, c.Column, alias); break;
                case TypenameField tn: w.Literal(tn.TypeName); break;
                case DistanceOutputField d:
                    w.Append("ST_Distance(").Append(alias).Append('.').Ident(d.Column.Name).Append(", ");
                    Values.ValueSql.Write(w, d.From, d.Column);
                    w.Append(d.UseSpheroid ? ", true)" : ", false)");
                    break;
                case ObjectRelationshipField o: SelectSql.WriteObject(w, o.Select, o.Relationship, alias); break;
                case ArrayRelationshipField a: SelectSql.WriteArray(w, a.Select, a.Relationship, alias); break;
                case ArrayAggregateField g: AggregateSql.Write(w, g.Select, g.Relationship, alias); break;
                case SensorRelationshipField r:
                    // A marker with the row's key; the executor replaces it with the readings from InfluxDB.
                    w.Append("json_build_object('").Append(SensorRelationshipField.Marker).Append("', ").Literal(r.Path)
                        .Append(", 'key', ").Append(alias).Append('.').Ident(r.Key.Name).Append(')');
                    break;
                default: throw new NotSupportedException(f.GetType().Name);
            }
        }
        w.Append(')');
    }
}

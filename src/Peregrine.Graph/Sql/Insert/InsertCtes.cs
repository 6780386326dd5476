using Peregrine.Graph.Ir;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Sql.BoolExp;
using Peregrine.Graph.Sql.Values;

namespace Peregrine.Graph.Sql.Insert;

/// <summary>
/// Writes an insert and all its nested inserts as data-modifying CTEs of one statement. Each row that
/// carries nested rows gets a CTE of its own, so its children can take its key from that CTE; rows
/// without nested rows share one multi-row INSERT. Object relationships are inserted before their
/// parent, array relationships after it, and a many-to-many relationship also writes its bridge rows.
/// </summary>
internal sealed class InsertCtes(SqlWriter w)
{
    private bool _first = true;

    /// <summary>CTEs whose RETURNING counts toward <c>affected_rows</c>.</summary>
    public List<string> Written { get; } = [];

    /// <summary>CTEs whose rows a role's insert check must hold for.</summary>
    public List<(string Cte, TableInfo Table, Ir.BoolExp Check)> Checked { get; } = [];

    /// <summary>The parent a child row hangs off: its CTE and the relationship from parent to child.</summary>
    public sealed record Parent(string Cte, RelationshipInfo Relationship);

    /// <summary>
    /// The CTEs of one input row (or of a multi-row INSERT): <see cref="Written"/> holds what the INSERT
    /// returned, which is what the answer shows (Hasura: a row an <c>on_conflict</c> left as is is neither
    /// counted nor returned); <see cref="Linked"/> also holds that existing row, so nested rows still hang off it.
    /// </summary>
    public sealed record InsertedRows(string Written, string Linked);

    /// <summary>Writes the CTEs of <paramref name="insert"/>; returns, per input row, the CTEs holding the resulting row(s).</summary>
    public List<InsertedRows> Write(InsertIr insert, Parent? parent)
    {
        var flat = insert.Rows.Where(r => r.ObjectRelationships.Count == 0 && r.ArrayRelationships.Count == 0).ToList();
        var result = new List<InsertedRows>();
        // One multi-row INSERT, unless the conflict clause could leave rows as is that a nested insert must still link to.
        if (parent is null && flat.Count > 1 && flat.Count == insert.Rows.Count && !MayLeaveRowsAsIs(insert.OnConflict))
        {
            var cte = WriteMultiRow(insert, flat);
            result.Add(new InsertedRows(cte, cte));
            return result;
        }
        foreach (var row in insert.Rows)
            result.Add(WriteRow(insert, row, parent));
        return result;
    }

    /// <summary>DO NOTHING, or DO UPDATE whose <c>where</c> may exclude the conflicting row.</summary>
    private static bool MayLeaveRowsAsIs(OnConflictIr? onConflict) =>
        onConflict is not null && (onConflict.UpdateColumns.Count == 0 || onConflict.Where is not null);

    private InsertedRows WriteRow(InsertIr insert, InsertRow row, Parent? parent)
    {
        var fkFromObjects = new List<(string Column, string Cte, string RemoteColumn)>();
        foreach (var obj in row.ObjectRelationships)
        {
            var cte = Write(obj.Insert, null).Single().Linked;
            for (var i = 0; i < obj.Relationship.LocalColumns.Count; i++)
                fkFromObjects.Add((obj.Relationship.LocalColumns[i], cte, obj.Relationship.RemoteColumns[i]));
        }

        var name = BeginCte();
        var table = insert.Table;
        w.Append("INSERT INTO ").Ident(table.Name).Append(" AS _target ");
        var columns = new List<string>();
        if (parent is not null) columns.AddRange(parent.Relationship.RemoteColumns);
        columns.AddRange(fkFromObjects.Select(f => f.Column));
        columns.AddRange(row.Values.Select(v => v.Column.Name).Where(c => !columns.Contains(c)));
        if (columns.Count == 0)
        {
            w.Append("DEFAULT VALUES");
            WriteOnConflict(insert.OnConflict);
            w.Append(" RETURNING *)");
            Written.Add(name);
            if (insert.Check is not null) Checked.Add((name, insert.Table, insert.Check));
            return new InsertedRows(name, name);
        }
        w.Append('(');
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0) w.Append(", ");
            w.Ident(columns[i]);
        }
        w.Append(") SELECT ");
        var first = true;
        void Sep() { if (!first) w.Append(", "); first = false; }
        if (parent is not null)
            foreach (var local in parent.Relationship.LocalColumns) { Sep(); w.Append("_p.").Ident(local); }
        foreach (var f in fkFromObjects)
        {
            Sep();
            w.Append("(SELECT ").Ident(f.RemoteColumn).Append(" FROM ").Append(f.Cte).Append(" LIMIT 1)");
        }
        foreach (var (column, value) in row.Values)
        {
            if (parent is not null && parent.Relationship.RemoteColumns.Contains(column.Name)) continue;
            if (fkFromObjects.Any(f => f.Column == column.Name)) continue;
            Sep();
            ValueSql.Write(w, value, column);
        }
        if (parent is not null) w.Append(" FROM ").Append(parent.Cte).Append(" _p");
        WriteOnConflict(insert.OnConflict);
        w.Append(" RETURNING *)");
        Written.Add(name);
        if (insert.Check is not null) Checked.Add((name, table, insert.Check));

        var resolved = MayLeaveRowsAsIs(insert.OnConflict) ? WriteExistingOnConflict(name, table, insert.OnConflict!, row) : name;

        foreach (var nested in row.ArrayRelationships)
        {
            var rel = nested.Relationship;
            if (rel.Kind == RelationshipKind.Array)
            {
                Write(nested.Insert, new Parent(resolved, rel));
                continue;
            }
            foreach (var child in Write(nested.Insert, null))
            {
                var bridge = WriteBridge(rel, resolved, child.Linked);
                if (nested.BridgeCheck is { } check) Checked.Add((bridge, nested.BridgeTable!, check));
            }
        }
        return new InsertedRows(name, resolved);
    }

    // A row the conflict clause left as is is not returned; a nested insert still has to link to it
    // (e.g. an existing category named in a new report), so look it up by the constraint's columns.
    private string WriteExistingOnConflict(string inserted, TableInfo table, OnConflictIr onConflict, InsertRow row)
    {
        var values = onConflict.Constraint.Columns
            .Select(c => row.Values.FirstOrDefault(v => v.Column.Name == c))
            .ToList();
        if (values.Any(v => v.Column is null)) return inserted;
        var name = BeginCte();
        w.Append("SELECT * FROM ").Append(inserted).Append(" UNION ALL SELECT _e.* FROM ").Ident(table.Name)
            .Append(" _e WHERE NOT EXISTS (SELECT 1 FROM ").Append(inserted).Append(')');
        foreach (var (column, value) in values)
        {
            w.Append(" AND _e.").Ident(column.Name).Append(" = ");
            ValueSql.Write(w, value, column);
        }
        w.Append(')');
        return name;
    }

    private string WriteBridge(RelationshipInfo rel, string parentCte, string childCte)
    {
        var name = BeginCte();
        w.Append("INSERT INTO ").Ident(rel.Bridge!).Append(" (");
        var cols = rel.BridgeLocalColumns!.Concat(rel.BridgeRemoteColumns!).ToList();
        for (var i = 0; i < cols.Count; i++)
        {
            if (i > 0) w.Append(", ");
            w.Ident(cols[i]);
        }
        w.Append(") SELECT ");
        var sources = rel.LocalColumns.Select(c => $"_p.\"{c}\"").Concat(rel.RemoteColumns.Select(c => $"_c.\"{c}\"")).ToList();
        w.Append(string.Join(", ", sources));
        w.Append(" FROM ").Append(parentCte).Append(" _p, ").Append(childCte).Append(" _c");
        w.Append(" ON CONFLICT DO NOTHING RETURNING *)");
        Written.Add(name);
        return name;
    }

    private string WriteMultiRow(InsertIr insert, List<InsertRow> rows)
    {
        var name = BeginCte();
        var columns = rows.SelectMany(r => r.Values.Select(v => v.Column)).DistinctBy(c => c.Name).ToList();
        w.Append("INSERT INTO ").Ident(insert.Table.Name).Append(" AS _target (");
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0) w.Append(", ");
            w.Ident(columns[i].Name);
        }
        w.Append(") VALUES ");
        for (var r = 0; r < rows.Count; r++)
        {
            if (r > 0) w.Append(", ");
            w.Append('(');
            for (var i = 0; i < columns.Count; i++)
            {
                if (i > 0) w.Append(", ");
                var given = rows[r].Values.FirstOrDefault(v => v.Column.Name == columns[i].Name);
                if (given.Column is null) w.Append("DEFAULT");
                else ValueSql.Write(w, given.Value, given.Column);
            }
            w.Append(')');
        }
        WriteOnConflict(insert.OnConflict);
        w.Append(" RETURNING *)");
        Written.Add(name);
        if (insert.Check is not null) Checked.Add((name, insert.Table, insert.Check));
        return name;
    }

    private void WriteOnConflict(OnConflictIr? onConflict)
    {
        if (onConflict is null) return;
        w.Append(" ON CONFLICT ON CONSTRAINT ").Ident(onConflict.Constraint.Name);
        if (onConflict.UpdateColumns.Count == 0)
        {
            w.Append(" DO NOTHING");
            return;
        }
        w.Append(" DO UPDATE SET ");
        for (var i = 0; i < onConflict.UpdateColumns.Count; i++)
        {
            if (i > 0) w.Append(", ");
            var c = onConflict.UpdateColumns[i].Name;
            w.Ident(c).Append(" = EXCLUDED.").Ident(c);
        }
        if (onConflict.Where is not null)
        {
            w.Append(" WHERE ");
            BoolExpSql.Write(w, onConflict.Where, "_target");
        }
    }

    private string BeginCte()
    {
        var name = w.NextAlias("i");
        w.Append(_first ? "WITH " : ", ").Append(name).Append(" AS (");
        _first = false;
        return name;
    }
}

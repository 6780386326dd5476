using System.Globalization;
using Peregrine.Domain.Geo;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sql.BoolExp;

namespace Peregrine.Graph.Sql.HexBins;

/// <summary>
/// Counts rows per cell in PostgreSQL: each stored resolution-15 cell is turned into its ancestor at
/// the requested resolution with two bit operations, then grouped. Answers <c>[[cell, count], ...]</c>,
/// most populated first; the cells' geometry is added by the executor.
/// </summary>
public static class HexBinsSql
{
    public static CompiledStatement Compile(HexBinsIr ir)
    {
        var (keep, set) = H3Ranges.ParentBits(ir.Resolution);
        var w = new SqlWriter();
        var cell15 = ir.H3.Cell15Column;
        w.Append("SELECT coalesce(json_agg(json_build_array(_b.cell, _b.n) ORDER BY _b.n DESC, _b.cell), '[]'::json) FROM (SELECT (_t.")
            .Ident(cell15).Append(" & ").Param(keep.ToString(CultureInfo.InvariantCulture)).Append("::bigint) | ")
            .Param(set.ToString(CultureInfo.InvariantCulture)).Append("::bigint AS cell, count(*) AS n FROM ")
            .Ident(ir.Table.Name).Append(" _t WHERE _t.").Ident(cell15).Append(" IS NOT NULL");
        foreach (var condition in new[] { ir.Where, ir.Permission.Filter })
        {
            if (condition is null) continue;
            w.Append(" AND ");
            BoolExpSql.Write(w, condition, "_t");
        }
        w.Append(" GROUP BY 1) _b");
        return w.Build();
    }
}

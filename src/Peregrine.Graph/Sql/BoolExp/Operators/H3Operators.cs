using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Peregrine.Domain.Geo;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Ir.H3;

namespace Peregrine.Graph.Sql.BoolExp.Operators;

/// <summary>
/// <c>_h3_in_cell</c> and <c>_h3_grid_disk</c>, applied to the resolution-15 cell column: every cell,
/// whatever its resolution, is one range of resolution-15 indexes, so "inside" is a btree range scan.
/// </summary>
public static class H3Operators
{
    /// <summary>Largest k accepted by <c>_h3_grid_disk</c> (3k(k+1)+1 cells, two parameters each).</summary>
    public const int MaxK = 25;

    public static readonly IReadOnlyDictionary<string, OperatorSql> All = new Dictionary<string, OperatorSql>
    {
        ["_h3_in_cell"] = (w, left, _, operand) =>
        {
            var cell = ReportCellValues.ParseCell(Text(operand), "$");
            WriteRanges(w, left, [H3Ranges.Res15Range(cell)]);
        },
        ["_h3_grid_disk"] = (w, left, _, operand) =>
        {
            if (operand is not JsonObject o || o["cell"] is null || o["k"] is null)
                throw new ValidationFailedError("_h3_grid_disk expects {cell, k}");
            var cell = ReportCellValues.ParseCell(Text(o["cell"]), "$");
            if (!int.TryParse(o["k"]!.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) || k is < 0 or > MaxK)
                throw new ValidationFailedError($"_h3_grid_disk: k must be an integer from 0 to {MaxK}");
            var ranges = Peregrine.Domain.Geo.H3.GridDisk(cell, k).Select(H3Ranges.Res15Range).OrderBy(r => r.Min).ToList();
            WriteRanges(w, left, ranges);
        },
    };

    private static void WriteRanges(SqlWriter w, Action<SqlWriter> left, IReadOnlyList<(long Min, long Max)> ranges)
    {
        w.Append('(');
        for (var i = 0; i < ranges.Count; i++)
        {
            if (i > 0) w.Append(" OR ");
            left(w);
            w.Append(" BETWEEN ")
                .Param(ranges[i].Min.ToString(CultureInfo.InvariantCulture)).Append("::bigint AND ")
                .Param(ranges[i].Max.ToString(CultureInfo.InvariantCulture)).Append("::bigint");
        }
        w.Append(')');
    }

    private static string Text(JsonNode? node) =>
        node is null ? "" : node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
}

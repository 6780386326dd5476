using System.Globalization;
using System.Text.Json.Nodes;
using Peregrine.Domain.Geo;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Ir;

/// <summary>
/// A faster start for "within d metres of a point, ordered, limited": the rows whose stored resolution-15
/// cell lies in the H3 cover of the disk (<see cref="DiskCover"/>), taken in the requested order from an
/// index that carries the ordering columns, so the exact distance test and the rest of the filter only
/// run on rows in order until the limit is reached, instead of on every row in the disk's bounding box.
/// Rows without a stored cell are always candidates, so the answer is the same as without it.
/// </summary>
public sealed record NearbyCandidates(string Cell15Column, IReadOnlyList<(long Min, long Max)> Ranges);

public static class NearbyCandidatesPlanner
{
    private const int MaxRanges = 400;

    /// <summary><paramref name="ir"/> with candidates attached when its filter and ordering allow it.</summary>
    public static SelectIr Plan(CatalogMetadata catalog, SelectIr ir)
    {
        var args = ir.Args;
        if (catalog.H3Columns(ir.Table.Name) is not { } h3 || ir.Table.PrimaryKey.Count != 1
            || args.Limit is null || args.DistinctOn.Count > 0 || args.Search is not null || args.OrderBy.Count == 0
            || args.OrderBy.Any(o => o.Path.Count > 0 || o.Column is null || o.Aggregate is not null || o.DistanceFrom is not null || o.Rank is not null))
            return ir;
        foreach (var conjunct in Conjuncts(args.Where))
        {
            if (conjunct is not ColumnCompareExp { Operator: "_st_d_within" } c || c.Column.Name != h3.LocationColumn
                || c.Column.Scalar != "geography" || c.Operand is not JsonObject o || GeoJsonPoint.Read(o["from"]) is not { } from
                || o["distance"] is not JsonValue d || !double.TryParse(d.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var meters))
                continue;
            var ranges = DiskCover.Res15Ranges(from.Lat, from.Lng, meters);
            if (ranges is null || ranges.Count > MaxRanges) return ir;
            return ir with { Args = args with { Nearby = new NearbyCandidates(h3.Cell15Column, ranges) } };
        }
        return ir;
    }

    private static IEnumerable<BoolExp> Conjuncts(BoolExp? e) => e switch
    {
        null => [],
        AndExp and => and.Items.SelectMany(Conjuncts),
        _ => [e]
    };
}

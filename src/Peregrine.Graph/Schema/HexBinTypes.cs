using GraphQL.Types;
using Peregrine.Graph.Metadata;
using static Peregrine.Graph.Schema.TypeRefs;

namespace Peregrine.Graph.Schema;

/// <summary><c>phenom_hex_bins(resolution, where)</c>: rows counted per H3 cell, for the map's hex layer.</summary>
internal static class HexBinTypes
{
    public static ObjectGraphType BinType(H3ColumnsInfo h3)
    {
        var t = new ObjectGraphType { Name = h3.HexBinType, Description = $"rows of \"{h3.Table}\" counted per H3 cell" };
        t.AddField(Field("h3_index", NonNull("String"), "the cell, as an H3 index string"));
        t.AddField(Field("count", NonNull("Int"), "number of rows inside the cell"));
        t.AddField(Field("center", NonNull("geography"), "the cell's centre, a GeoJSON Point"));
        t.AddField(Field("boundary", NonNull("geography"), "the cell's outline, a GeoJSON Polygon"));
        return t;
    }

    public static (FieldType Field, RootField Root) Root(H3ColumnsInfo h3) =>
        (Field(h3.HexBinsField, NonNullListOfNonNull(h3.HexBinType), $"rows of \"{h3.Table}\" counted per H3 cell at a resolution",
            new QueryArguments(
                Arg("resolution", NonNull("Int"), "H3 resolution of the bins, 0 to 15"),
                Arg("where", Named(TypeNames.BoolExp(h3.Table)), "filter the rows counted"))),
         new RootField(h3.HexBinsField, RootFieldKind.HexBins, h3.Table) { H3 = h3 });
}

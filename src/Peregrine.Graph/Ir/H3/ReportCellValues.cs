using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Peregrine.Domain.Geo;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Ir.H3;

/// <summary>
/// The H3 columns of a row being written, computed from its location: the cell at the row's
/// resolution (given, implied by a given <c>h3_index</c>, or the default) and the resolution-15 cell.
/// A given <c>h3_index</c> that does not contain the location is refused: the stored cell must be true.
/// </summary>
public static class ReportCellValues
{
    /// <summary>The values to store, or none when the written values hold no point location.</summary>
    public static IReadOnlyList<(ColumnInfo Column, JsonNode? Value)> Compute(
        H3ColumnsInfo h3, TableInfo table, Func<string, (bool Given, JsonNode? Value)> given, string path)
    {
        var (hasLocation, location) = given(h3.LocationColumn);
        if (!hasLocation || GeoJsonPoint.Read(location) is not { } point) return [];

        var (hasIndex, indexNode) = given(h3.IndexColumn);
        var (hasRes, resNode) = given(h3.ResolutionColumn);
        ulong? claimed = null;
        if (hasIndex && indexNode is not null)
        {
            var text = indexNode.GetValueKind() == JsonValueKind.String ? indexNode.GetValue<string>() : indexNode.ToJsonString();
            claimed = ParseCell(text, $"{path}.{h3.IndexColumn}");
        }
        int? res = hasRes && resNode is not null ? Resolution(resNode, $"{path}.{h3.ResolutionColumn}") : null;
        if (claimed is { } c && res is { } r && Peregrine.Domain.Geo.H3.GetResolution(c) != r)
            throw new ValidationFailedError($"h3_index is at resolution {Peregrine.Domain.Geo.H3.GetResolution(c)}, but h3_resolution is {r}", path);
        var resolution = res ?? (claimed is { } cc ? Peregrine.Domain.Geo.H3.GetResolution(cc) : h3.DefaultResolution);

        ulong cell;
        try { cell = Peregrine.Domain.Geo.H3.LatLngToCell(point.Lat, point.Lng, resolution); }
        catch (ArgumentException) { return []; } // out-of-range coordinates are reported by the location check
        if (claimed is { } claim && claim != cell)
            throw new ValidationFailedError(
                $"h3_index {Peregrine.Domain.Geo.H3.CellToString(claim)} does not contain the location; at resolution {resolution} it is {Peregrine.Domain.Geo.H3.CellToString(cell)}",
                $"{path}.{h3.IndexColumn}");

        var cell15 = (long)Peregrine.Domain.Geo.H3.LatLngToCell(point.Lat, point.Lng, 15);
        return
        [
            (table.Column(h3.IndexColumn), JsonValue.Create(Peregrine.Domain.Geo.H3.CellToString(cell))),
            (table.Column(h3.ResolutionColumn), JsonValue.Create(resolution)),
            (table.Column(h3.Cell15Column), JsonValue.Create(cell15)),
        ];
    }

    /// <summary>Parses a cell named by a client; anything but a valid H3 cell is a validation error.</summary>
    public static ulong ParseCell(string text, string path)
    {
        try
        {
            var cell = Peregrine.Domain.Geo.H3.StringToCell(text);
            if (Peregrine.Domain.Geo.H3.IsValidCell(cell)) return cell;
        }
        catch (FormatException) { }
        throw new ValidationFailedError($"\"{text}\" is not a valid H3 cell", path);
    }

    private static int Resolution(JsonNode node, string path) =>
        int.TryParse(node.ToJsonString().Trim('"'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 15
            ? r
            : throw new ValidationFailedError("h3_resolution must be an integer from 0 to 15", path);
}

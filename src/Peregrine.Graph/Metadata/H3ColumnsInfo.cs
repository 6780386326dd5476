namespace Peregrine.Graph.Metadata;

/// <summary>
/// A table whose rows carry H3 cells of a location: <see cref="IndexColumn"/> (text, at the row's
/// <see cref="ResolutionColumn"/>) and <see cref="Cell15Column"/> (the resolution-15 cell as bigint, for
/// range scans). The server fills them from <see cref="LocationColumn"/> on every write.
/// </summary>
public sealed record H3ColumnsInfo(
    string Table, string LocationColumn, string IndexColumn, string ResolutionColumn, string Cell15Column, int DefaultResolution,
    string HexBinsField, string HexBinType)
{
    public static IReadOnlyList<H3ColumnsInfo> Declared(int defaultResolution) =>
    [
        new("phenom_reports", "location", "h3_index", "h3_resolution", "h3_cell_r15", defaultResolution,
            HexBinsField: "phenom_hex_bins", HexBinType: "phenom_hex_bin"),
    ];
}

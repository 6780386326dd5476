using Peregrine.Domain.Geo;

namespace Peregrine.Domain.Tests.Geo;

/// <summary>Bad input throws (never garbage, never a long loop); the string format round-trips.</summary>
public sealed class H3InputTests
{
    private const ulong Hexagon = 0x85283473fffffffUL;          // res 5, San Francisco
    private const ulong Pentagon = 0x8009fffffffffffUL;         // res 0, base cell 4
    private const ulong DeletedSubsequence = 0x81087ffffffffffUL; // res 1, digit 1 under pentagon base cell 4

    public static TheoryData<ulong> InvalidCells => new()
    {
        0UL,
        ulong.MaxValue,
        Hexagon | (1UL << 63),                                  // high bit
        (Hexagon & ~(15UL << 59)) | (2UL << 59),                // mode 2 (directed edge)
        Hexagon | (1UL << 56),                                  // reserved bits
        (Hexagon & ~(127UL << 45)) | (122UL << 45),             // base cell 122
        Hexagon | (7UL << (3 * (15 - 3))),                      // digit 7 within the resolution
        Hexagon & ~(7UL << (3 * (15 - 9))),                     // unused digit not 7
        DeletedSubsequence,
    };

    [Theory]
    [InlineData(-1)]
    [InlineData(16)]
    [InlineData(int.MinValue)]
    public void LatLngToCell_rejects_resolution_out_of_range(int res) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => H3.LatLngToCell(10, 20, res));

    [Theory]
    [InlineData(double.NaN, 0)]
    [InlineData(0, double.NaN)]
    [InlineData(double.PositiveInfinity, 0)]
    [InlineData(0, double.NegativeInfinity)]
    public void LatLngToCell_rejects_non_finite_coordinates(double lat, double lng) =>
        Assert.Throws<ArgumentException>(() => H3.LatLngToCell(lat, lng, 5));

    [Theory]
    [MemberData(nameof(InvalidCells))]
    public void Every_cell_taking_function_rejects_invalid_cells(ulong cell)
    {
        Assert.False(H3.IsValidCell(cell));
        Assert.ThrowsAny<ArgumentException>(() => H3.CellToLatLng(cell));
        Assert.ThrowsAny<ArgumentException>(() => H3.CellToBoundary(cell));
        Assert.ThrowsAny<ArgumentException>(() => H3.GridDisk(cell, 1));
        Assert.ThrowsAny<ArgumentException>(() => H3.GridDistance(cell, Hexagon));
        Assert.ThrowsAny<ArgumentException>(() => H3.GridDistance(Hexagon, cell));
        Assert.ThrowsAny<ArgumentException>(() => H3.CellToParent(cell, 0));
        Assert.ThrowsAny<ArgumentException>(() => H3.CellToChildren(cell, 15));
        Assert.ThrowsAny<ArgumentException>(() => H3.CellToChildrenSize(cell, 15));
        Assert.ThrowsAny<ArgumentException>(() => H3.IsPentagon(cell));
        Assert.ThrowsAny<ArgumentException>(() => H3.GetResolution(cell));
        Assert.ThrowsAny<ArgumentException>(() => H3.GetBaseCellNumber(cell));
        Assert.ThrowsAny<ArgumentException>(() => H3.CellAreaKm2(cell));
    }

    [Fact]
    public void GridDisk_rejects_negative_and_unlistable_k()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => H3.GridDisk(Hexagon, -1));
        ulong fine = H3.LatLngToCell(10, 20, 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => H3.GridDisk(fine, 1_000_000));
        // a disk larger than the whole grid at a coarse resolution is just the grid
        Assert.Equal(122, H3.GridDisk(H3.LatLngToCell(0, 0, 0), 1000).Count);
    }

    [Fact]
    public void Parent_and_children_resolutions_are_checked()
    {
        Assert.Equal(Hexagon, H3.CellToParent(Hexagon, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => H3.CellToParent(Hexagon, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => H3.CellToParent(Hexagon, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => H3.CellToChildren(Hexagon, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => H3.CellToChildren(Hexagon, 16));
        Assert.Equal([Hexagon], H3.CellToChildren(Hexagon, 5));

        ulong baseHexagon = H3.CellToParent(Hexagon, 0);
        Assert.Equal(4_747_561_509_943L, H3.CellToChildrenSize(baseHexagon, 15));
        Assert.Equal(1 + 5 * (4_747_561_509_943L - 1) / 6, H3.CellToChildrenSize(Pentagon, 15));
        Assert.Throws<ArgumentOutOfRangeException>(() => H3.CellToChildren(baseHexagon, 15));
    }

    [Fact]
    public void GridDistance_throws_across_resolutions_and_far_apart()
    {
        Assert.Throws<ArgumentException>(() => H3.GridDistance(Hexagon, H3.CellToParent(Hexagon, 4)));
        ulong london = H3.LatLngToCell(51.5, -0.12, 9);
        ulong sydney = H3.LatLngToCell(-33.9, 151.2, 9);
        Assert.Throws<ArgumentException>(() => H3.GridDistance(london, sydney));
        Assert.Equal(0, H3.GridDistance(london, london));
    }

    [Fact]
    public void PolygonToCells_checks_its_input()
    {
        Assert.Throws<ArgumentNullException>(() => H3.PolygonToCells(null!, 5));
        (double, double)[] ring = [(0, 0), (0, 1), (1, 1)];
        Assert.Throws<ArgumentOutOfRangeException>(() => H3.PolygonToCells(ring, 16));
        Assert.Throws<ArgumentException>(() => H3.PolygonToCells([(0, 0), (double.NaN, 1), (1, 1)], 5));
        Assert.Empty(H3.PolygonToCells([], 5));
        Assert.NotEmpty(H3.PolygonToCells(ring, 6));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x85283473fffffff")]
    [InlineData("85283473fffffffg")]
    [InlineData("85283473ffffffff0")]
    [InlineData(" 85283473fffffff")]
    [InlineData("85283473fffffff ")]
    [InlineData("-1")]
    [InlineData("8528-473fffffff")]
    public void StringToCell_rejects_malformed_strings(string s) => Assert.Throws<FormatException>(() => H3.StringToCell(s));

    [Fact]
    public void Strings_round_trip_in_lowercase_without_padding()
    {
        Assert.Equal("85283473fffffff", H3.CellToString(Hexagon));
        Assert.Equal(Hexagon, H3.StringToCell("85283473FFFFFFF"));
        Assert.Equal(8UL, H3.StringToCell("8"));
        Assert.Equal(ulong.MaxValue, H3.StringToCell("ffffffffffffffff"));
        Assert.Equal("0", H3.CellToString(0));
        Assert.Throws<ArgumentNullException>(() => H3.StringToCell(null!));
    }
}

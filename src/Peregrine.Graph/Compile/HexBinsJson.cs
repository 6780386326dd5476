using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Peregrine.Domain.Geo;
using Peregrine.Graph.Ir;

namespace Peregrine.Graph.Compile;

/// <summary>Turns PostgreSQL's <c>[[cell, count], ...]</c> into the selected bin fields, adding each cell's centre and outline as GeoJSON.</summary>
public static class HexBinsJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(HexBinsIr ir, string counts)
    {
        using var doc = JsonDocument.Parse(counts);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartArray();
            foreach (var bin in doc.RootElement.EnumerateArray())
            {
                var cell = (ulong)bin[0].GetInt64();
                w.WriteStartObject();
                foreach (var (alias, field) in ir.Fields)
                {
                    w.WritePropertyName(alias);
                    switch (field)
                    {
                        case "h3_index": w.WriteStringValue(H3.CellToString(cell)); break;
                        case "count": w.WriteNumberValue(bin[1].GetInt64()); break;
                        case "center": WriteCenter(w, cell); break;
                        case "boundary": WriteBoundary(w, cell); break;
                        default: w.WriteStringValue(ir.H3.HexBinType); break; // __typename
                    }
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteCenter(Utf8JsonWriter w, ulong cell)
    {
        var (lat, lng) = H3.CellToLatLng(cell);
        w.WriteStartObject();
        w.WriteString("type", "Point");
        w.WriteStartArray("coordinates");
        w.WriteNumberValue(lng);
        w.WriteNumberValue(lat);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // A closed GeoJSON ring, counter-clockwise as H3 gives it.
    private static void WriteBoundary(Utf8JsonWriter w, ulong cell)
    {
        var ring = H3.CellToBoundary(cell);
        w.WriteStartObject();
        w.WriteString("type", "Polygon");
        w.WriteStartArray("coordinates");
        w.WriteStartArray();
        foreach (var (lat, lng) in ring.Append(ring[0]))
        {
            w.WriteStartArray();
            w.WriteNumberValue(lng);
            w.WriteNumberValue(lat);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndArray();
        w.WriteEndObject();
    }
}

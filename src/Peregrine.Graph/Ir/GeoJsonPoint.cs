using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Peregrine.Graph.Ir;

/// <summary>A client's GeoJSON value read as a point, when it is one.</summary>
public static class GeoJsonPoint
{
    public static (double Lat, double Lng)? Read(JsonNode? geo)
    {
        if (geo is not JsonObject o || o["type"]?.GetValueKind() != JsonValueKind.String || o["type"]!.GetValue<string>() != "Point") return null;
        if (o["coordinates"] is not JsonArray { Count: >= 2 } c) return null;
        if (!double.TryParse(c[0]?.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var lng)) return null;
        if (!double.TryParse(c[1]?.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)) return null;
        return (lat, lng);
    }
}

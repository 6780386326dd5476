using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Sql.Values;

/// <summary>Rejects GeoJSON whose positions leave the geography range before it reaches PostGIS.</summary>
public static class GeoJsonCheck
{
    public static void EnsureGeographyRange(JsonNode value, string path)
    {
        if (value is not JsonObject obj || obj["type"] is not JsonValue)
            throw new DataExceptionError("invalid GeoJSON representation", path);
        if (obj["coordinates"] is { } coordinates) Check(coordinates, path);
        if (obj["geometries"] is JsonArray geometries)
            foreach (var g in geometries) EnsureGeographyRange(g!, path);
    }

    private static void Check(JsonNode node, string path)
    {
        if (node is not JsonArray arr) throw new DataExceptionError("invalid GeoJSON representation", path);
        if (arr.Count >= 2 && arr[0] is JsonValue && arr[1] is JsonValue)
        {
            var lng = Number(arr[0]!, path);
            var lat = Number(arr[1]!, path);
            if (double.IsNaN(lng) || double.IsNaN(lat) || lng < -180 || lng > 180 || lat < -90 || lat > 90)
                throw new DataExceptionError(
                    "Coordinate values are out of range [-180 -90, 180 90] for GEOGRAPHY type", path);
            return;
        }
        foreach (var child in arr) Check(child!, path);
    }

    private static double Number(JsonNode n, string path) =>
        n.GetValueKind() == JsonValueKind.Number
            && double.TryParse(n.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new DataExceptionError("invalid GeoJSON representation: coordinates must be numbers", path);
}

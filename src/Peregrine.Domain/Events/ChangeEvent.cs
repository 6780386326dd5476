using System.Text.Json;
using System.Text.Json.Nodes;

namespace Peregrine.Domain.Events;

public enum ChangeOperation { Insert, Update, Delete, Truncate }

/// <summary>
/// One committed write to one row, as the change-capture trigger reports it (migration ChangeCapture):
/// the table, the operation, the primary key, the columns it wrote, and — when the payload stayed under
/// PostgreSQL's NOTIFY limit — the row image (<see cref="Row"/>: the row after an insert or update, the
/// row deleted by a delete) and the previous values of an update's changed columns (<see cref="Old"/>).
/// </summary>
public sealed record ChangeEvent(
    string Table,
    ChangeOperation Operation,
    JsonObject? PrimaryKey,
    IReadOnlyList<string> Columns,
    JsonObject? Row,
    JsonObject? Old,
    double CapturedAt)
{
    /// <summary>The value of <paramref name="column"/> before the write (an update's old value, else the row's).</summary>
    public JsonNode? OldValue(string column) =>
        Old is not null && Old.TryGetPropertyValue(column, out var v) ? v : Row?[column];

    /// <summary>Parses the trigger's JSON: <c>{"t","op","pk","cols","row","old","at"}</c>. Null when it is not one.</summary>
    public static ChangeEvent? Parse(string json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject o || o["t"] is not JsonValue t) return null;
            var op = (string?)o["op"] switch
            {
                "i" => ChangeOperation.Insert,
                "u" => ChangeOperation.Update,
                "d" => ChangeOperation.Delete,
                "t" => ChangeOperation.Truncate,
                _ => (ChangeOperation?)null
            };
            if (op is null) return null;
            var cols = o["cols"] is JsonArray a ? a.Select(c => (string)c!).ToArray() : [];
            return new ChangeEvent(t.GetValue<string>(), op.Value, o["pk"] as JsonObject, cols,
                o["row"] as JsonObject, o["old"] as JsonObject, o["at"] is JsonValue at ? at.GetValue<double>() : 0);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException) { return null; }
    }
}

namespace Peregrine.Graph.Sensors.Ingest;

/// <summary>
/// A posted batch that cannot be taken as it is: <c>400</c>, naming the first bad line (1-based) or JSON element
/// (0-based, as JSON arrays count). Thrown before anything is written, so a rejected batch leaves no trace.
/// </summary>
public sealed class SensorInputException(string message, string code = "invalid-readings") : Exception(message)
{
    public string Code { get; } = code;

    public static SensorInputException Line(int number, string reason) => new($"line {number}: {reason}");
    public static SensorInputException Element(int index, string reason) => new($"readings[{index}]: {reason}");
}

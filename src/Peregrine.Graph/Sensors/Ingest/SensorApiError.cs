namespace Peregrine.Graph.Sensors.Ingest;

/// <summary>An answer of the sensors write endpoint other than 204: <c>{ "error": "&lt;code&gt;", "message": "..." }</c>, as the files API answers.</summary>
public sealed class SensorApiError(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    public static SensorApiError Unauthenticated() =>
        new(401, "access-denied", "writing readings needs a device token (POST /oauth/token) or a signed-in user's token with ?device_id=");
    public static SensorApiError Forbidden(Guid device) => new(403, "permission-error", $"this session may not write readings of device {device:D}");
    public static SensorApiError BadRequest(string message) => new(400, "bad-request", message);
    public static SensorApiError TooLarge(long limit) => new(413, "request-too-large", $"the body is larger than the limit of {limit} bytes");
    public static SensorApiError UnsupportedEncoding() => new(415, "unsupported-media-type", "Content-Encoding is not supported; send the body uncompressed");
    public static SensorApiError StorageUnavailable(string message) => new(503, "storage-unavailable", message);
}

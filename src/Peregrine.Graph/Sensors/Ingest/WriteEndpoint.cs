using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Auth.Sessions;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sensors.Devices;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Sensors.Ingest;

/// <summary>
/// <c>POST /v1/sensors/write</c>: the bulk path for devices. The device is the token's (<c>x-hasura-device-id</c>,
/// role <c>device</c> from <c>POST /oauth/token</c>), or for a user's (or admin's) token the <c>device_id</c> query
/// parameter; either way the session must be allowed to write the device (<see cref="DeviceAccess"/>). The body is
/// line protocol (any content type but JSON; <c>precision=ns|us|ms|s</c> as InfluxDB's <c>/write</c>) or, with
/// <c>application/json</c>, an array of readings. The whole body is parsed before anything is stored: 400 names
/// the first bad line or element, 413 over <c>PEREGRINE_SENSOR_MAX_BODY_BYTES</c>, 503 when storage is
/// unavailable, otherwise 204 once the batch is in InfluxDB or the spool, and <c>devices.last_seen_at</c> is set
/// (at most one UPDATE per device every 5 s, <see cref="DeviceSeenThrottle"/>).
/// </summary>
public static class WriteEndpoint
{
    public const string Route = "/v1/sensors/write";

    public static async Task<IResult> HandleAsync(HttpContext http, SessionResolver sessions, DeviceAccess access, SensorIngest ingest,
        SensorOptions options, NpgsqlDataSource database, DeviceSeenThrottle seen, ILogger<SensorIngest> logger)
    {
        var ct = http.RequestAborted;
        try
        {
            var session = await sessions.ResolveAsync(http.Request.Headers, ct);
            var device = DeviceOf(session, http.Request.Query["device_id"]);
            var now = DateTimeOffset.UtcNow;
            // The permission check is a PostgreSQL round trip: it runs while the body is read and parsed. Its answer
            // comes first all the same (403 before any complaint about the body) and nothing is stored before it.
            var allowed = access.CanWriteAsync(session, device, ct);
            Parsed? parsed = null;
            Exception? bodyError = null;
            try { parsed = await ReadReadingsAsync(http.Request, options, device, now, ct); }
            catch (Exception e) { bodyError = e; }
            using var body = parsed;
            if (!await allowed) throw SensorApiError.Forbidden(device);
            if (bodyError is not null) ExceptionDispatchInfo.Throw(bodyError);
            if (body!.Count == 0) throw SensorApiError.BadRequest("the body holds no readings");

            // Accepted from here on: a client hanging up must not leave half a batch behind, so no cancellation.
            if (body.Lines is { } lines) await ingest.AcceptLinesAsync(lines, CancellationToken.None);
            else await ingest.AcceptAsync(body.Readings!, CancellationToken.None);
            if (seen.ShouldTouch(device, now)) await TouchAsync(database, device, seen, logger);
            return TypedResults.NoContent();
        }
        catch (SensorApiError e) { return Write(e.Status, e.Code, e.Message); }
        catch (SensorInputException e) { return Write(400, e.Code, e.Message); }
        catch (SensorStorageUnavailableException e) { return Write(503, "storage-unavailable", e.Message); }
        catch (HasuraError e) { return Write(401, e.Code, e.Message); }
        catch (BadHttpRequestException e) { return Write(e.StatusCode, e.StatusCode == 413 ? "request-too-large" : "bad-request", e.Message); }
        catch (NpgsqlException) { return Write(503, "postgres-error", "the database is unavailable; retry later"); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError("{Route} failed: {Type}: {Message}\n{Stack}", Route, e.GetType().FullName, e.Message, e.StackTrace);
            return Write(500, "internal-error", "internal error");
        }
    }

    private static Guid DeviceOf(Session session, string? deviceParameter)
    {
        Guid? requested = null;
        if (!string.IsNullOrEmpty(deviceParameter))
            requested = Guid.TryParse(deviceParameter, out var g) ? g : throw SensorApiError.BadRequest("device_id must be a uuid");
        if (session.Variables.TryGetValue(AccessTokenIssuer.DeviceIdClaim, out var claim) && Guid.TryParse(claim, out var own))
        {
            // A device writes for itself only; naming another device is refused rather than ignored.
            if (requested is { } other && other != own) throw SensorApiError.Forbidden(other);
            return own;
        }
        if (!session.IsAdmin && !session.Variables.ContainsKey("x-hasura-user-id")) throw SensorApiError.Unauthenticated();
        return requested ?? throw SensorApiError.BadRequest("device_id query parameter is required with a user's token");
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Split(';')[0].Trim().EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    // A body is either JSON readings or scanned line protocol (kept as bytes; see LineProtocolScanner).
    private sealed record Parsed(List<SensorReading>? Readings, ScannedLines? Lines) : IDisposable
    {
        public int Count => Lines?.Count ?? Readings!.Count;
        public void Dispose() => Lines?.Dispose();
    }

    private static async Task<Parsed> ReadReadingsAsync(HttpRequest request, SensorOptions options, Guid device,
        DateTimeOffset now, CancellationToken ct)
    {
        var precision = LineProtocolParser.PrecisionMultiplier(request.Query["precision"].ToString())
            ?? throw SensorApiError.BadRequest("precision must be ns, us, ms or s");
        // Bodies are rented, not allocated: a batch of a thousand lines is ~100 KB, which .NET puts on the
        // large-object heap, and a device stream of them made gen-2 collections most of the server's work.
        using var body = await ReadBodyAsync(request, options.MaxBodyBytes, ct);
        return IsJson(request.ContentType)
            ? new Parsed(JsonReadingsParser.Parse(body.Memory, device, now, options), null)
            : new Parsed(null, LineProtocolScanner.Scan(body.Memory.Span, device, precision, now, options));
    }

    private static async Task<PooledBytes> ReadBodyAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.Headers.ContentEncoding.Count > 0 && request.Headers.ContentEncoding.ToString() is not ("" or "identity"))
            throw SensorApiError.UnsupportedEncoding();
        if (request.ContentLength > limit) throw SensorApiError.TooLarge(limit);
        var body = new PooledBytes(request.ContentLength is { } n ? (int)n : 64 * 1024);
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(body.FreeSpace(), ct);
                if (read == 0) return body;
                if (body.Length + read > limit) throw SensorApiError.TooLarge(limit);
                body.Advance(read);
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    // When the device was last heard from: at most every few seconds per device (DeviceSeenThrottle says why).
    private static async Task TouchAsync(NpgsqlDataSource database, Guid device, DeviceSeenThrottle seen, ILogger logger)
    {
        try
        {
            await using var cmd = database.CreateCommand("UPDATE devices SET last_seen_at = now() WHERE id = $1");
            cmd.Parameters.Add(new NpgsqlParameter { Value = device });
            await cmd.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException e)
        {
            // The readings are stored; a missed last_seen_at is not worth failing the device's write over.
            seen.Forget(device);
            logger.LogWarning("devices.last_seen_at not updated for {Device}: {Message}", device, e.Message);
        }
    }

    private static IResult Write(int status, string code, string message) =>
        TypedResults.Json(new Media.Api.FileErrorFilter.ErrorBody(code, message), statusCode: status);
}

using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Sensors.Influx;

/// <summary>
/// The write half of InfluxDB's v1 HTTP API. A batch of encoded lines goes out as one <c>POST /write</c> per
/// <see cref="LinesPerRequest"/> lines (never one per point). Before the first write, and again after InfluxDB was
/// unreachable (it may have come back empty), <see cref="InfluxSetup"/> creates the database, retention policies
/// and continuous query; every statement is idempotent. Answers:
/// 2xx written; 404 "database not found" → set up again and retry once; 400 (points outside the retention
/// policy, or refused by InfluxDB as malformed) → logged and counted as delivered, since sending them again
/// could never succeed and would block the spool behind them; anything else, a timeout or no connection →
/// <see cref="InfluxUnavailableException"/>, and the caller spools the batch.
/// </summary>
public sealed class InfluxWriter
{
    public const int LinesPerRequest = 5_000;
    public const string HttpClientName = "SensorInflux";

    private readonly HttpClient? _http;
    private readonly SensorOptions _options;
    private readonly InfluxSetup? _setup;
    private readonly ILogger<InfluxWriter> _logger;
    private readonly SemaphoreSlim _setupGate = new(1, 1);
    // Set once the setup statements ran against the InfluxDB we talk to; cleared when it stops answering.
    private volatile bool _ready;

    public InfluxWriter(PeregrineOptions peregrine, SensorOptions options, IHttpClientFactory clients, ILogger<InfluxWriter> logger)
    {
        _options = options;
        _logger = logger;
        if (peregrine.InfluxUrl is { } url)
        {
            _http = clients.CreateClient(HttpClientName);
            _http.BaseAddress = new Uri(url.TrimEnd('/') + "/");
            // Each call has its own deadline (WriteTimeout); the client's must not cut in first.
            _http.Timeout = Timeout.InfiniteTimeSpan;
            _setup = new InfluxSetup(_http, options, logger);
        }
    }

    public bool IsConfigured => _http is not null;

    /// <summary>Runs the setup statements now unless already done (start-up calls this; writes do it on demand).</summary>
    public async Task EnsureSetupAsync(CancellationToken ct)
    {
        if (_ready) return;
        if (_setup is null) throw new InfluxUnavailableException("PEREGRINE_INFLUX_URL is not set");
        await _setupGate.WaitAsync(ct);
        try
        {
            if (_ready) return;
            using var deadline = Deadline(ct);
            try { await _setup.RunAsync(deadline.Token); }
            catch (Exception e) when (Unreachable(e, ct)) { throw new InfluxUnavailableException("InfluxDB setup failed: " + Describe(e), e); }
            _ready = true;
        }
        finally { _setupGate.Release(); }
    }

    /// <summary>Writes UTF-8 line protocol (lines ending in '\n', nanosecond times) to the configured database.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken ct)
    {
        if (_http is null) throw new InfluxUnavailableException("PEREGRINE_INFLUX_URL is not set");
        await EnsureSetupAsync(ct);
        var rest = lines;
        while (!rest.IsEmpty)
        {
            var chunk = TakeLines(ref rest, LinesPerRequest);
            await WriteChunkAsync(chunk, ct);
        }
    }

    private async Task WriteChunkAsync(ReadOnlyMemory<byte> chunk, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            HttpStatusCode status;
            string body;
            try
            {
                using var deadline = Deadline(ct);
                using var content = new ReadOnlyMemoryContent(chunk);
                content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
                using var response = await _http!.PostAsync($"write?db={Uri.EscapeDataString(_options.Database)}&precision=ns", content, deadline.Token);
                status = response.StatusCode;
                if (response.IsSuccessStatusCode) return;
                body = await response.Content.ReadAsStringAsync(deadline.Token);
            }
            catch (Exception e) when (Unreachable(e, ct))
            {
                _ready = false;
                throw new InfluxUnavailableException("InfluxDB write failed: " + Describe(e), e);
            }
            if (status == HttpStatusCode.NotFound && attempt == 0)
            {
                // The database went away (dropped, or a fresh InfluxDB): create it again and retry once.
                _ready = false;
                await EnsureSetupAsync(ct);
                continue;
            }
            if (status == HttpStatusCode.BadRequest)
            {
                _logger.LogWarning("InfluxDB refused points of a sensor batch, which are dropped: {Body}", Clip(body));
                return;
            }
            throw new InfluxUnavailableException($"InfluxDB /write answered {(int)status}: {Clip(body)}");
        }
    }

    /// <summary>The first <paramref name="count"/> lines of <paramref name="rest"/> (cut after a '\n'), advancing it.</summary>
    public static ReadOnlyMemory<byte> TakeLines(ref ReadOnlyMemory<byte> rest, int count)
    {
        var span = rest.Span;
        var end = 0;
        for (var n = 0; n < count && end < span.Length; n++)
        {
            var nl = span[end..].IndexOf((byte)'\n');
            end = nl < 0 ? span.Length : end + nl + 1;
        }
        var chunk = rest[..end];
        rest = rest[end..];
        return chunk;
    }

    private CancellationTokenSource Deadline(CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(_options.WriteTimeout);
        return cts;
    }

    // No connection, a reset, or our own deadline (not the caller's cancellation, which propagates as is).
    private static bool Unreachable(Exception e, CancellationToken ct) =>
        e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested);

    private static string Describe(Exception e) => e is OperationCanceledException ? "no answer in time" : e.Message;

    internal static string Clip(string s) => s.Length > 300 ? s[..300] + "…" : s;
}

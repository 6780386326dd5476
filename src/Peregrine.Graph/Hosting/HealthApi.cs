using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Peregrine.Domain.Events;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Hosting;

/// <summary>
/// <c>/healthz</c>: every dependency checked at once, each within <see cref="ProbeTimeout"/>. 200 with the plain
/// body <c>OK</c> when all work (what Hasura answers, and what load balancers and <c>curl -f</c> expect); 503 with
/// JSON naming the failing ones otherwise, so a load balancer takes a broken instance out and an operator sees why:
/// <code>{"status":"failing","failing":["redis"],"dependencies":{"postgres":{"status":"ok","ms":1.2},
///   "redis":{"status":"failing","error":"not connected"}}}</code>
/// PostgreSQL is always listed (with its change listener), Redis and InfluxDB when they are configured
/// (Redis otherwise shows <c>"not-configured"</c>: the bus is in-process and cannot fail).
/// <c>/healthz?verbose=1</c> answers that JSON on success too (each dependency's status and probe time).
/// With read replicas configured, a <c>replicas</c> list follows: each one's status as the health loop last saw it
/// (<c>up</c>, <c>behind</c> or <c>down</c>), its lag and why it is not up. A replica never fails the instance:
/// its reads go to the primary meanwhile.
/// </summary>
public static class HealthApi
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", HandleAsync);
        app.MapMethods("/healthz", ["HEAD"], HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext http, PeregrineOptions options, NpgsqlDataSource database, IChangeBus bus,
        PostgresChangeListener listener, IHttpClientFactory httpClients, Execution.Replicas.ReadReplicas replicas)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(ProbeTimeout);
        var ct = timeout.Token;
        var probes = new List<(string Name, Task<Probe> Result)>
        {
            ("postgres", TimedAsync(() => PostgresAsync(database, listener, ct))),
            ("redis", options.RedisUrl is null ? Task.FromResult(new Probe("not-configured", null, null)) : TimedAsync(() => bus.ProbeAsync(ct))),
        };
        if (options.InfluxUrl is { } influx)
            probes.Add(("influx", TimedAsync(() => InfluxAsync(httpClients.CreateClient(nameof(HealthApi)), influx, ct))));
        var answers = await Task.WhenAll(probes.Select(p => p.Result));
        var results = probes.Select((p, i) => (p.Name, Probe: answers[i])).ToList();

        var failing = results.Where(r => r.Probe.Status == "failing").Select(r => r.Name).ToList();
        http.Response.StatusCode = failing.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.CacheControl = "no-store";
        var detail = failing.Count > 0 || IsVerbose(http.Request);
        http.Response.ContentType = detail ? "application/json; charset=utf-8" : "text/plain; charset=utf-8";
        if (HttpMethods.IsHead(http.Request.Method)) return;
        if (!detail)
        {
            await http.Response.WriteAsync("OK", http.RequestAborted);
            return;
        }
        await using var w = new Utf8JsonWriter(http.Response.BodyWriter);
        w.WriteStartObject();
        w.WriteString("status", failing.Count == 0 ? "ok" : "failing");
        if (failing.Count > 0)
        {
            w.WriteStartArray("failing");
            foreach (var f in failing) w.WriteStringValue(f);
            w.WriteEndArray();
        }
        w.WriteStartObject("dependencies");
        foreach (var (name, p) in results)
        {
            w.WriteStartObject(name);
            w.WriteString("status", p.Status);
            if (p.Milliseconds is { } ms) w.WriteNumber("ms", Math.Round(ms, 1));
            if (p.Error is { } error) w.WriteString("error", error);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        if (replicas.Nodes.Count > 0) WriteReplicas(w, replicas);
        w.WriteEndObject();
        await w.FlushAsync();
    }

    private static void WriteReplicas(Utf8JsonWriter w, Execution.Replicas.ReadReplicas replicas)
    {
        w.WriteStartArray("replicas");
        foreach (var node in replicas.Nodes)
        {
            w.WriteStartObject();
            w.WriteString("name", node.Name);
            w.WriteString("status", !node.Up ? "down" : node.Behind ? "behind" : "up");
            if (node.Up)
            {
                w.WriteNumber("lag_ms", node.LagMilliseconds);
                w.WriteNumber("lag_bytes", node.LagBytes);
            }
            w.WriteNumber("reads", node.Reads);
            if (node.Error is { } error) w.WriteString("error", error);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("primary_reads", replicas.PrimaryReads);
    }

    // ?verbose, ?verbose=1 or ?verbose=true; anything else (0, false) keeps the plain answer.
    private static bool IsVerbose(HttpRequest request) =>
        request.Query.TryGetValue("verbose", out var v) && (string.IsNullOrEmpty(v) || v == "1" || string.Equals(v, "true", StringComparison.OrdinalIgnoreCase));

    private readonly record struct Probe(string Status, string? Error, double? Milliseconds);

    // A probe answers null when healthy, else the reason; throwing or running past the timeout is failing too.
    private static async Task<Probe> TimedAsync(Func<Task<string?>> probe)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var error = await probe();
            return error is null ? new Probe("ok", null, clock.Elapsed.TotalMilliseconds) : new Probe("failing", error, null);
        }
        catch (OperationCanceledException) { return new Probe("failing", $"no answer within {ProbeTimeout.TotalSeconds:0} s", null); }
        catch (Exception e) { return new Probe("failing", e.Message, null); }
    }

    private static async Task<string?> PostgresAsync(NpgsqlDataSource database, PostgresChangeListener listener, CancellationToken ct)
    {
        await using var cmd = database.CreateCommand("SELECT 1");
        await cmd.ExecuteScalarAsync(ct);
        // Queries work but live queries would go stale: say so.
        return listener.IsConnected ? null : "the change listener is reconnecting";
    }

    private static async Task<string?> InfluxAsync(HttpClient http, string url, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri(new Uri(url), "/ping"), ct);
        return response.IsSuccessStatusCode ? null : $"/ping answered {(int)response.StatusCode}";
    }
}

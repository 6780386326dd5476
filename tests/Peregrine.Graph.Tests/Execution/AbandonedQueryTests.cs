using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Peregrine.Graph.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Peregrine.Graph.Tests.Execution;

/// <summary>
/// Issue 13 §2: a client that hangs up cancels its statement in PostgreSQL, heavy queries cannot take the
/// connections cheap ones need, and every query has its role's time limit. The server is a real Kestrel on a
/// loopback port and the clients real HTTP connections that really close, so a hang-up reaches the server as
/// it would in production (RequestAborted); what PostgreSQL is doing is read from pg_stat_activity.
/// </summary>
[Collection(HeavyDataCollection.Name)]
public sealed class AbandonedQueryTests(HeavyDataFixture fx, ITestOutputHelper output)
{
    private const string Heavy =
        "{ categories { phenom_reports { categories { phenom_reports { categories { phenom_reports(limit: 3) { id } } } } } } }";
    private const string Cheap = "{ users(limit: 1) { id } }";

    [Fact]
    public async Task Six_abandoned_heavy_queries_are_cancelled_in_postgres_and_cheap_queries_answer_meanwhile()
    {
        // The node limit would refuse the heavy query before it runs (tested below); here it must really run.
        await using var server = Serve(("PEREGRINE_MAX_NODES", "0"));
        using var http = server.Client();
        Assert.Single((await PostAsync(http, Cheap, CancellationToken.None))["data"]!["users"]!.AsArray());
        Assert.Equal(0, await RunningHeavyAsync());

        var clock = Stopwatch.StartNew();
        using var hangUp = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var heavy = Enumerable.Range(0, 6).Select(_ => PostAsync(http, Heavy, hangUp.Token)).ToList();
        await WaitForAsync(async () => await RunningHeavyAsync() > 0, TimeSpan.FromSeconds(1));
        var runningBefore = await RunningHeavyAsync();

        // While the heavy queries run (and queue), a cheap one answers.
        var cheapWhileHeavy = Stopwatch.StartNew();
        Assert.Single((await PostAsync(http, Cheap, CancellationToken.None))["data"]!["users"]!.AsArray());
        cheapWhileHeavy.Stop();

        // Every heavy client hangs up at 1 s: none of the queries was done by then, so they really are heavy.
        foreach (var h in heavy) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h);
        var hungUpAt = clock.Elapsed;

        // PostgreSQL stops working on them shortly after.
        await WaitForAsync(async () => await RunningHeavyAsync() == 0, TimeSpan.FromSeconds(5));
        var goneAfter = clock.Elapsed - hungUpAt;

        var cheapAfter = Stopwatch.StartNew();
        Assert.Single((await PostAsync(http, Cheap, CancellationToken.None))["data"]!["users"]!.AsArray());
        cheapAfter.Stop();

        output.WriteLine($"heavy statements running before hang-up: {runningBefore}; cheap query while heavy ran: {cheapWhileHeavy.ElapsedMilliseconds} ms; " +
                         $"statements gone {goneAfter.TotalMilliseconds:F0} ms after hang-up; cheap query after: {cheapAfter.ElapsedMilliseconds} ms");
        Assert.True(runningBefore > 0);
        Assert.True(cheapWhileHeavy.Elapsed < TimeSpan.FromSeconds(2), $"cheap query took {cheapWhileHeavy.ElapsedMilliseconds} ms while heavy queries ran");
        Assert.True(goneAfter < TimeSpan.FromSeconds(2), $"the abandoned statements ran {goneAfter.TotalMilliseconds:F0} ms after the hang-up");
        Assert.True(cheapAfter.Elapsed < TimeSpan.FromSeconds(2), $"cheap query took {cheapAfter.ElapsedMilliseconds} ms after the hang-up");
    }

    [Fact]
    public async Task A_websocket_operation_stopped_by_its_client_or_its_closed_socket_cancels_its_statement()
    {
        await using var server = Serve(("PEREGRINE_MAX_NODES", "0"));
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Port}/v1/graphql"), CancellationToken.None);
        await SendAsync(socket, new { type = "connection_init", payload = new { } });
        Assert.Equal("connection_ack", (await ReceiveAsync(socket))["type"]!.GetValue<string>());

        // The client stops the operation (graphql-transport-ws "complete"): its statement goes.
        await SendAsync(socket, new { id = "1", type = "subscribe", payload = new { query = Heavy } });
        await WaitForAsync(async () => await RunningHeavyAsync() > 0, TimeSpan.FromSeconds(5));
        var stopped = Stopwatch.StartNew();
        await SendAsync(socket, new { id = "1", type = "complete" });
        await WaitForAsync(async () => await RunningHeavyAsync() == 0, TimeSpan.FromSeconds(2));
        output.WriteLine($"statement gone {stopped.ElapsedMilliseconds} ms after complete");

        // The socket closes with an operation running: its statement goes too.
        await SendAsync(socket, new { id = "2", type = "subscribe", payload = new { query = Heavy } });
        await WaitForAsync(async () => await RunningHeavyAsync() > 0, TimeSpan.FromSeconds(5));
        var closed = Stopwatch.StartNew();
        socket.Abort();
        await WaitForAsync(async () => await RunningHeavyAsync() == 0, TimeSpan.FromSeconds(2));
        output.WriteLine($"statement gone {closed.ElapsedMilliseconds} ms after the socket was cut");
    }

    private static Task SendAsync(ClientWebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonNode> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        return JsonNode.Parse(buffer.AsSpan(0, received.Count))!;
    }

    [Fact]
    public async Task The_heavy_query_would_run_for_seconds_if_nobody_cancelled_it()
    {
        // Not vacuous: left alone (with a generous time limit), the same query is still running after 3 s.
        await using var server = Serve(("PEREGRINE_MAX_NODES", "0"), ("PEREGRINE_QUERY_TIMEOUT_MS", "4000"));
        using var http = server.Client();
        Assert.Single((await PostAsync(http, Cheap, CancellationToken.None))["data"]!["users"]!.AsArray());
        var clock = Stopwatch.StartNew();
        var answer = await PostAsync(http, Heavy, CancellationToken.None);
        output.WriteLine($"heavy query left alone: {clock.ElapsedMilliseconds} ms, {answer.ToJsonString()[..Math.Min(200, answer.ToJsonString().Length)]}");
        Assert.Equal("timeout", answer.ErrorCode());
        Assert.Contains("PEREGRINE_QUERY_TIMEOUT_MS", answer["errors"]![0]!["message"]!.GetValue<string>());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(8));
        await WaitForAsync(async () => await RunningHeavyAsync() == 0, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_nested_query_over_the_node_limit_is_refused_before_anything_runs()
    {
        await using var server = Serve(("PEREGRINE_ADMIN_MAX_NODES", "5000"));
        using var http = server.Client();
        Assert.Single((await PostAsync(http, Cheap, CancellationToken.None))["data"]!["users"]!.AsArray());
        var clock = Stopwatch.StartNew();
        var refused = await PostAsync(http, Heavy, CancellationToken.None);
        Assert.Equal("validation-failed", refused.ErrorCode());
        var message = refused["errors"]![0]!["message"]!.GetValue<string>();
        output.WriteLine(refused.ToJsonString());
        Assert.Contains("PEREGRINE_MAX_NODES", message);
        Assert.Contains("100000", message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"refusing took {clock.ElapsedMilliseconds} ms");
        Assert.Equal(0, await RunningHeavyAsync());

        // The same shape with a limit on every array relationship is small, and answers what SQL says.
        var small = await PostAsync(http, "{ categories(limit: 2, order_by: {name: asc}) { name phenom_reports(limit: 2) { categories(limit: 2) { name } } } }", CancellationToken.None);
        var categories = small.Data()["categories"]!.AsArray();
        Assert.Equal(await fx.ScalarAsync<string>("SELECT string_agg(name, ',' ORDER BY name) FROM (SELECT name FROM categories ORDER BY name LIMIT 2) c"),
            string.Join(",", categories.Select(c => c!["name"]!.GetValue<string>())));

        // The admin has a limit of its own.
        using var admin = server.Client(PeregrineFixture.AdminSecret);
        var adminRefused = await PostAsync(admin, Heavy, CancellationToken.None);
        Assert.Equal("validation-failed", adminRefused.ErrorCode());
        Assert.Contains("PEREGRINE_ADMIN_MAX_NODES", adminRefused["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_role_has_its_time_limit_and_exceeding_it_answers_a_timeout_error()
    {
        await using var server = Serve(("PEREGRINE_QUERY_TIMEOUT_MS", "700"), ("PEREGRINE_ADMIN_QUERY_TIMEOUT_MS", "30000"));
        using var anonymous = server.Client();
        using var admin = server.Client(PeregrineFixture.AdminSecret);

        // Hold a lock a cheap query has to wait for.
        await using var blocker = await fx.DataSource.OpenConnectionAsync();
        await using var tx = await blocker.BeginTransactionAsync();
        await using (var lockCmd = new Npgsql.NpgsqlCommand("LOCK TABLE users IN ACCESS EXCLUSIVE MODE", blocker, tx))
            await lockCmd.ExecuteNonQueryAsync();

        var clock = Stopwatch.StartNew();
        var timedOut = await PostAsync(anonymous, Cheap, CancellationToken.None);
        Assert.Equal("timeout", timedOut.ErrorCode());
        Assert.Contains("700 ms", timedOut["errors"]![0]!["message"]!.GetValue<string>());
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(3));

        // The admin's query waits longer than the anonymous limit and answers once the lock goes.
        var adminQuery = PostAsync(admin, Cheap, CancellationToken.None);
        await Task.Delay(1500);
        Assert.False(adminQuery.IsCompleted);
        await tx.RollbackAsync();
        Assert.Single((await adminQuery).Data()["users"]!.AsArray());
    }

    [Fact]
    public async Task A_heavy_query_waiting_for_a_heavy_connection_past_its_time_limit_is_not_run()
    {
        await using var server = Serve(("PEREGRINE_MAX_NODES", "0"), ("PEREGRINE_HEAVY_QUERY_CONNECTIONS", "1"), ("PEREGRINE_QUERY_TIMEOUT_MS", "1500"));
        using var http = server.Client();
        Assert.Single((await PostAsync(http, Cheap, CancellationToken.None))["data"]!["users"]!.AsArray());

        // The admin's heavy query (its own, longer limit) holds the lane's one connection.
        using var admin = server.Client(PeregrineFixture.AdminSecret);
        using var hangUp = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var first = PostAsync(admin, Heavy, hangUp.Token);
        await WaitForAsync(async () => await RunningHeavyAsync() > 0, TimeSpan.FromSeconds(3));

        var clock = Stopwatch.StartNew();
        var second = await PostAsync(http, Heavy, CancellationToken.None);
        Assert.Equal("timeout", second.ErrorCode());
        Assert.Contains("waited 1500 ms for a connection for heavy queries", second["errors"]![0]!["message"]!.GetValue<string>());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(3));
        Assert.Equal(1, await RunningHeavyAsync());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
    }

    private async Task<int> RunningHeavyAsync() => (int)(await fx.ScalarAsync<long>("""
        SELECT count(*) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%phenom_report_categories%'
        """));

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > within) throw new TimeoutException($"condition not met within {within.TotalSeconds} s");
            await Task.Delay(25);
        }
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string query, CancellationToken ct)
    {
        var body = new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/v1/graphql", body, ct);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
    }

    private Server Serve(params (string Key, string Value)[] settings)
    {
        var port = FreePort();
        var factory = fx.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("urls", $"http://127.0.0.1:{port}");
            b.UseSetting("PEREGRINE_UNAUTHORIZED_ROLE", "anonymous");
            foreach (var (key, value) in settings) b.UseSetting(key, value);
        });
        factory.UseKestrel();
        factory.StartServer();
        return new Server(factory, port);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A real Kestrel on a loopback port; each client its own connections, closed when a request is cancelled.</summary>
    private sealed class Server(WebApplicationFactory<Program> factory, int port) : IAsyncDisposable
    {
        public int Port => port;

        public HttpClient Client(string? adminSecret = null)
        {
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            if (adminSecret is not null) client.DefaultRequestHeaders.Add("x-hasura-admin-secret", adminSecret);
            return client;
        }

        public ValueTask DisposeAsync() => factory.DisposeAsync();
    }
}

using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Domain.Events;
using Peregrine.Graph.Sensors.Influx;
using Peregrine.Graph.Sensors.Live;
using Peregrine.Graph.Subscriptions;
using Peregrine.Graph.Tests.Infrastructure;
using Peregrine.Graph.Tests.Sensors.Ingest;
using Peregrine.Graph.Tests.WebSockets;
using StackExchange.Redis;

namespace Peregrine.Graph.Tests.Sensors.Live;

/// <summary>
/// The live-bus interest registry against the real Redis: a device nobody subscribes to gets no bus message at all
/// (counted by a Redis subscriber of our own on the bus channel), a <c>sensor_readings_live</c> subscriber on a second
/// server instance still gets every write within 1 s, and once it leaves the publishing stops again.
/// </summary>
[Collection(SensorCollection.Name)]
public sealed class SensorLiveInterestTests(SensorFixture fx)
{
    private static string RedisUrl => Environment.GetEnvironmentVariable("PEREGRINE_REDIS_URL")
        ?? throw new InvalidOperationException("PEREGRINE_REDIS_URL is not set: run the tests through ./peregrine test");

    private const string Subscription = "subscription($d: uuid!) { sensor_readings_live(device_id: $d) { sensor value } }";

    [Fact]
    public async Task Nothing_is_published_without_a_listener_and_a_listener_on_another_instance_gets_each_write()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await SensorDevices.CreateAsync(fx, alice);
        using var writer = SensorDevices.Bearer(fx.Factory.CreateClient(), await SensorDevices.TokenAsync(fx, alice, device));

        // Our own Redis subscriber on the bus channel: the independent count of what was published for this device.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisChangeBus.ParseUrl(RedisUrl));
        var published = 0;
        var channel = RedisChannel.Literal(RealtimeServices.ChannelName(fx.ConnectionString));
        (await redis.GetSubscriber().SubscribeAsync(channel)).OnMessage(m =>
        {
            // Sensor batches only: the device's own row changes (last_seen_at) are change events on the same channel.
            foreach (var line in ((string?)m.Message ?? "").Split('\n'))
                if (line.StartsWith(SensorLiveHub.MessagePrefix, StringComparison.Ordinal) && line.Contains(device.ToString("D")))
                    Interlocked.Increment(ref published);
        });

        await WriteAsync(writer, "quiet", 1);
        await Task.Delay(500);
        Assert.Equal(0, Volatile.Read(ref published));

        // A second instance, sharing the database and Redis, holds the subscriber.
        await using var other = fx.Factory.WithWebHostBuilder(_ => { });
        await WaitSubscribedAsync(other);
        await using (var ws = await SubscribeAsync(other, alice, device))
        {
            Assert.Equal("[]", (await NextAsync(ws))["sensor_readings_live"]!.ToJsonString());
            var written = Stopwatch.StartNew();
            await WriteAsync(writer, "heard", 2);
            var pushed = (await NextAsync(ws))["sensor_readings_live"]!.AsArray();
            Assert.True(written.Elapsed < TimeSpan.FromSeconds(1), $"pushed after {written.Elapsed}");
            Assert.Equal(["heard", "heard"], pushed.Select(r => (string?)r!["sensor"]));
            await WaitUntilAsync(() => Volatile.Read(ref published) > 0);
        }

        // The subscriber left: its member leaves the device's set, and writes are published no more.
        var interest = fx.Factory.Services.GetRequiredService<SensorLiveInterest>();
        var db = redis.GetDatabase();
        await WaitUntilAsync(() => db.SortedSetLength(interest.KeyOf(device)) == 0);
        await Task.Delay(SensorLiveInterest.PositiveCacheTime + TimeSpan.FromMilliseconds(100));
        var before = Volatile.Read(ref published);
        await WriteAsync(writer, "quiet again", 1);
        await Task.Delay(500);
        Assert.Equal(before, Volatile.Read(ref published));
    }

    [Fact]
    public async Task A_subscription_is_in_redis_with_a_future_lease_before_its_first_answer()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await SensorDevices.CreateAsync(fx, alice);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisChangeBus.ParseUrl(RedisUrl));
        var key = fx.Factory.Services.GetRequiredService<SensorLiveInterest>().KeyOf(device);
        await using var ws = await SubscribeAsync(fx.Factory, alice, device);
        await NextAsync(ws);
        var members = await redis.GetDatabase().SortedSetRangeByRankWithScoresAsync(key);
        var member = Assert.Single(members);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.InRange(member.Score, now + 1, now + SensorLiveInterest.Lease.TotalMilliseconds + 1000);
    }

    private static async Task WriteAsync(HttpClient client, string sensor, int points)
    {
        var start = LineProtocolEncoder.UnixNanoseconds(DateTimeOffset.UtcNow.AddMinutes(-1));
        var lines = string.Concat(Enumerable.Range(0, points).Select(i => $"sensor_readings,sensor={sensor.Replace(" ", "\\ ")} value={i} {start + i * 1_000_000}\n"));
        using var r = await client.PostAsync("/v1/sensors/write", new StringContent(lines, Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
    }

    private static async Task<WsClient> SubscribeAsync(WebApplicationFactory<Program> host, string user, Guid device)
    {
        var ws = await WsClient.ConnectAsync(host, "graphql-transport-ws");
        var token = Auth.TestTokens.Sign(Auth.TestTokens.Payload(Auth.TestTokens.HasuraClaims("user", ["user"], user)));
        await ws.SendAsync(new { type = "connection_init", payload = new { headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token } } });
        Assert.Equal("connection_ack", (string?)(await ws.ReceiveAsync())!["type"]);
        await ws.SendAsync(new { id = "s", type = "subscribe", payload = new { query = Subscription, variables = new { d = device } } });
        return ws;
    }

    private static async Task<JsonNode> NextAsync(WsClient ws)
    {
        var m = (await ws.ReceiveSkippingAsync("ping", TimeSpan.FromSeconds(5)))!;
        Assert.True((string?)m["type"] == "next", m.ToJsonString());
        return m["payload"]!["data"]!;
    }

    private static async Task WaitSubscribedAsync(WebApplicationFactory<Program> host)
    {
        using (host.CreateClient()) { } // starts the host
        var bus = Assert.IsType<RedisChangeBus>(host.Services.GetRequiredService<IChangeBus>());
        await WaitUntilAsync(() => bus.IsSubscribed);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(5)) Assert.Fail("not within 5 s");
            await Task.Delay(20);
        }
    }
}

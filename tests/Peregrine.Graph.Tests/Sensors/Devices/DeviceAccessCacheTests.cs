using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Sensors.Devices;
using Peregrine.Graph.Sensors.Influx;
using Peregrine.Graph.Sessions;
using Peregrine.Graph.Tests.Infrastructure;
using Peregrine.Graph.Tests.Sensors.Ingest;

namespace Peregrine.Graph.Tests.Sensors.Devices;

/// <summary>
/// Remembered device grants (<see cref="DeviceAccessCache"/>) never outlive a change of who may write: the device's
/// owner changes in PostgreSQL and the former owner's writes are refused within a second, far inside the cache's own
/// <see cref="DeviceAccessCache.MaxAge"/>, so it is the change event that ends the grant. A refusal is never
/// remembered: a device handed to a user is writable by them at once.
/// </summary>
[Collection(SensorCollection.Name)]
public sealed class DeviceAccessCacheTests(SensorFixture fx)
{
    private static StringContent Line(string sensor) => new(
        $"sensor_readings,sensor={sensor} value=1 {LineProtocolEncoder.UnixNanoseconds(DateTimeOffset.UtcNow.AddMinutes(-1))}\n", Encoding.UTF8, "text/plain");

    private static async Task<HttpStatusCode> WriteAsync(HttpClient client, Guid device)
    {
        using var r = await client.PostAsync($"/v1/sensors/write?device_id={device}", Line("cache"));
        return r.StatusCode;
    }

    [Fact]
    public async Task A_new_owner_takes_effect_on_the_next_writes_and_a_refusal_is_not_remembered()
    {
        var (alice, bob, _) = await SensorUsers.LoadAsync(fx);
        var device = await SensorDevices.CreateAsync(fx, alice);
        using var asAlice = fx.ClientAs("user", alice);
        using var asBob = fx.ClientAs("user", bob);
        Assert.Equal(HttpStatusCode.NoContent, await WriteAsync(asAlice, device));
        Assert.Equal(HttpStatusCode.NoContent, await WriteAsync(asAlice, device)); // now from memory
        Assert.Equal(HttpStatusCode.Forbidden, await WriteAsync(asBob, device));

        await fx.ScalarAsync<int>("UPDATE devices SET owner_id = $1::uuid WHERE id = $2", bob, device);
        // Bob was refused a moment ago; refusals are not remembered.
        Assert.Equal(HttpStatusCode.NoContent, await WriteAsync(asBob, device));
        var changed = Stopwatch.StartNew();
        while (await WriteAsync(asAlice, device) != HttpStatusCode.Forbidden)
        {
            Assert.True(changed.Elapsed < TimeSpan.FromSeconds(1), "alice could still write a second after the device became bob's");
            await Task.Delay(20);
        }
        Assert.Equal(HttpStatusCode.Forbidden, await WriteAsync(asAlice, device));
    }

    [Fact]
    public void A_grant_is_kept_per_session_and_operation_and_dropped_by_an_invalidation_even_one_during_the_question()
    {
        var cache = new DeviceAccessCache();
        var alice = DeviceAccessCache.SessionKey(new Session("user", new Dictionary<string, string> { ["x-hasura-user-id"] = "a", ["x-hasura-role"] = "user" }));
        var bob = DeviceAccessCache.SessionKey(new Session("user", new Dictionary<string, string> { ["x-hasura-role"] = "user", ["x-hasura-user-id"] = "b" }));
        Guid d1 = Guid.NewGuid(), d2 = Guid.NewGuid();

        cache.Grant(DeviceOperation.Write, alice, [d1], cache.Generation);
        Assert.True(cache.AllGranted(DeviceOperation.Write, alice, [d1]));
        Assert.False(cache.AllGranted(DeviceOperation.Write, alice, [d1, d2]));
        Assert.False(cache.AllGranted(DeviceOperation.Read, alice, [d1]));
        Assert.False(cache.AllGranted(DeviceOperation.Write, bob, [d1]));
        Assert.False(cache.AllGranted(DeviceOperation.Write, alice, []));

        cache.Invalidate();
        Assert.False(cache.AllGranted(DeviceOperation.Write, alice, [d1]));

        // Asked before an invalidation, answered after it: the answer may be stale and is not kept.
        var asked = cache.Generation;
        cache.Invalidate();
        cache.Grant(DeviceOperation.Write, alice, [d1], asked);
        Assert.False(cache.AllGranted(DeviceOperation.Write, alice, [d1]));
    }
}

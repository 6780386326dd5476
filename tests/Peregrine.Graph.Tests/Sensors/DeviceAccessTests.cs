using Microsoft.Extensions.DependencyInjection;
using Peregrine.Domain.Seeding;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sensors.Devices;
using Peregrine.Graph.Sessions;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sensors;

/// <summary>
/// <see cref="DeviceAccess"/> answers with the devices rules of permissions.json, checked against the seed's
/// ownership and sharing as SQL states it: owners read and write, enclosure members read only, a device reads
/// and writes itself only, an unknown id is in no answer, admin reaches every existing device.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class DeviceAccessTests(PeregrineFixture fx)
{
    private DeviceAccess Access => fx.Factory.Services.GetRequiredService<DeviceAccess>();

    private static Session User(string id) => new("user", new Dictionary<string, string> { ["x-hasura-user-id"] = id, ["x-hasura-role"] = "user" });
    private static Session Device(Guid id) => new("device", new Dictionary<string, string> { ["x-hasura-device-id"] = id.ToString(), ["x-hasura-role"] = "device" });

    private static readonly Guid[] All = [.. DemoSensors.DeviceIds, Guid.NewGuid()];

    [Fact]
    public async Task Owners_read_and_write_their_devices_members_only_read_them()
    {
        var (alice, bob, carol) = await SensorUsers.LoadAsync(fx);
        var ct = CancellationToken.None;
        var aliceOwns = DemoSensors.DeviceIds.Where(d => d != DemoSensors.WeatherStationId).ToHashSet();

        Assert.Equal(aliceOwns, await Access.ReadableAsync(User(alice), All, ct));
        Assert.Equal(aliceOwns, await Access.WritableAsync(User(alice), All, ct));
        Assert.Equal([DemoSensors.WeatherStationId], await Access.ReadableAsync(User(bob), All, ct));
        Assert.Equal([DemoSensors.WeatherStationId], await Access.WritableAsync(User(bob), All, ct));
        // user3 views the terrarium and keeps the field station: reads their devices, writes none.
        Assert.Equal([DemoSensors.TerrariumClimateId, DemoSensors.BaskingProbeId, DemoSensors.WeatherStationId],
            (await Access.ReadableAsync(User(carol), All, ct)).Order());
        Assert.Empty(await Access.WritableAsync(User(carol), All, ct));
        Assert.Empty(await Access.ReadableAsync(User(Guid.NewGuid().ToString()), All, ct));
    }

    [Fact]
    public async Task A_device_reaches_itself_only_and_admin_every_existing_device()
    {
        var ct = CancellationToken.None;
        Assert.Equal([DemoSensors.PhoneId], await Access.ReadableAsync(Device(DemoSensors.PhoneId), All, ct));
        Assert.Equal([DemoSensors.PhoneId], await Access.WritableAsync(Device(DemoSensors.PhoneId), All, ct));
        Assert.True(await Access.CanWriteAsync(Device(DemoSensors.PhoneId), DemoSensors.PhoneId, ct));
        Assert.False(await Access.CanWriteAsync(Device(DemoSensors.PhoneId), DemoSensors.WeatherStationId, ct));
        Assert.Equal(DemoSensors.DeviceIds.ToHashSet(), await Access.WritableAsync(Session.Admin, All, ct));
        // A role with no rules on devices reaches nothing, and compiles no statement at all.
        Assert.Empty(await Access.ReadableAsync(new Session("anonymous", new Dictionary<string, string>()), All, ct));
        Assert.Null(Access.Compile(new Session("anonymous", new Dictionary<string, string>()), DeviceOperation.Read));
    }

    [Fact]
    public async Task Session_values_enter_the_statement_as_parameters()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var hostile = alice + "' OR true --";
        var statement = Access.Compile(User(hostile), DeviceOperation.Read)!;
        Assert.DoesNotContain("OR true", statement.Sql);
        Assert.Contains(hostile, statement.Parameters);
        // Not a uuid: PostgreSQL refuses the value instead of widening the filter.
        await Assert.ThrowsAnyAsync<Exception>(() => Access.ReadableAsync(User(hostile), All, CancellationToken.None));
    }
}

using Newtonsoft.Json.Linq;
using Peregrine.Graph.Tests.Infrastructure;
using Snapshooter;
using Snapshooter.Xunit;

namespace Peregrine.Graph.Tests.Transport.Http;

/// <summary>
/// The contract operations' answers on the fixed demo data, snapshotted together with the one SQL
/// statement each compiled to: a change in either shows up in review.
/// </summary>
[Collection(SnapshotCollection.Name)]
public sealed class ContractSnapshotTests(PeregrineFixture fx)
{
    private static string Operation(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contract", $"{name}.graphql"));

    private async Task<JObject> RunAsync(string operation, object? variables)
    {
        using var capture = new SqlCapture(fx.DatabaseName);
        var response = await fx.GraphQLAsync(operation, variables);
        return new JObject
        {
            ["response"] = JToken.Parse(response.ToJsonString()),
            ["sql"] = new JArray(capture.Statements),
        };
    }

    [Fact]
    public async Task GetRecentPhenoms() =>
        Snapshot.Match(await RunAsync(Operation("GetRecentPhenoms"), new { limit = 3 }));

    [Fact]
    public async Task GetPhenomsByHex() =>
        Snapshot.Match(await RunAsync(Operation("GetPhenomsByHex"), new { h3Index = "8728f011dffffff" }));

    [Fact]
    public async Task CreatePhenomReport()
    {
        var report = new
        {
            description = "Snapshot report",
            location = new { type = "Point", coordinates = new[] { 2.3522, 48.8566 } },
            timestamp = "2001-02-03T04:05:06Z",
            media = new { data = new[] { new { url = "https://cdn.example/s.jpg", type = "image" } } },
        };
        var result = await RunAsync(Operation("CreatePhenomReport"), new { report });
        Snapshot.Match(result, o => o.IgnoreField("response.data.insert_phenom_reports_one.id"));
    }
}

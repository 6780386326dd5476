using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sensors.Ingest;

/// <summary>A fresh device of a seed user, and a real device token for it: credentials from GraphQL, exchanged at /oauth/token.</summary>
internal static class SensorDevices
{
    public static async Task<Guid> CreateAsync(PeregrineFixture fx, string owner)
    {
        var device = Guid.NewGuid();
        await fx.ScalarAsync<int>("INSERT INTO devices (id, owner_id, name, kind, created_at) VALUES ($1, $2::uuid, 'ingest test', 'test', now() - interval '1 hour')",
            device, owner);
        return device;
    }

    public static async Task<string> TokenAsync(PeregrineFixture fx, string owner, Guid device)
    {
        using var client = fx.ClientAs("user", owner);
        await fx.GraphQLAsync("{ __typename }", client: client);
        var created = (await fx.GraphQLAsync("mutation($d: uuid!) { create_device_credentials(device_id: $d) { client_id client_secret } }", new { d = device }, client))
            .Data()["create_device_credentials"]!;
        using var anonymous = fx.Factory.CreateClient();
        using var response = await anonymous.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = (string)created["client_id"]!,
            ["client_secret"] = (string)created["client_secret"]!,
        }));
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!;
    }

    public static HttpClient Bearer(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Hosting;

/// <summary>
/// <c>/healthz</c> against the real services: 200 with the plain body <c>OK</c> (each dependency's status with
/// <c>?verbose=1</c>), 503 with JSON naming the one that fails. (Redis and PostgreSQL outages are exercised on real
/// processes in tests/node/faults.)
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class HealthApiTests(PeregrineFixture fx)
{
    private static async Task<(HttpStatusCode Status, JsonObject Body)> HealthAsync(HttpClient client, string path = "/healthz?verbose=1")
    {
        using var response = await client.GetAsync(path);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    [Fact]
    public async Task All_dependencies_up_answers_200_with_each_ones_status()
    {
        await using var host = fx.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("PEREGRINE_REDIS_URL", Environment.GetEnvironmentVariable("PEREGRINE_REDIS_URL") ?? "redis://127.0.0.1:26379");
            b.UseSetting("PEREGRINE_INFLUX_URL", Environment.GetEnvironmentVariable("PEREGRINE_INFLUX_URL") ?? "http://127.0.0.1:28086");
        });
        using var client = host.CreateClient();
        // Redis connects in the background: the first answers may still say so.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var (status, body) = await HealthAsync(client);
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            (status, body) = await HealthAsync(client);
        }
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", body["status"]!.GetValue<string>());
        Assert.Null(body["failing"]);
        var deps = body["dependencies"]!.AsObject();
        Assert.Equal(["influx", "postgres", "redis"], deps.Select(d => d.Key).Order());
        Assert.All(deps, d => Assert.Equal("ok", d.Value!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task All_dependencies_up_answers_a_plain_OK_without_verbose()
    {
        await using var host = fx.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("PEREGRINE_REDIS_URL", "");
            b.UseSetting("PEREGRINE_INFLUX_URL", Environment.GetEnvironmentVariable("PEREGRINE_INFLUX_URL") ?? "http://127.0.0.1:28086");
        });
        using var client = host.CreateClient();
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("OK", await response.Content.ReadAsStringAsync());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        // verbose=0 is the plain answer too; HEAD answers the status with no body.
        Assert.Equal("OK", await client.GetStringAsync("/healthz?verbose=0"));
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_failing_dependency_answers_503_naming_it()
    {
        // Nothing listens on port 1: the InfluxDB probe fails at once.
        await using var host = fx.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("PEREGRINE_REDIS_URL", "");
            b.UseSetting("PEREGRINE_INFLUX_URL", "http://127.0.0.1:1");
        });
        using var client = host.CreateClient();
        // The failure's detail comes without asking for it.
        var (status, body) = await HealthAsync(client, "/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("failing", body["status"]!.GetValue<string>());
        Assert.Equal(["influx"], body["failing"]!.AsArray().Select(f => f!.GetValue<string>()));
        var deps = body["dependencies"]!.AsObject();
        Assert.Equal("failing", deps["influx"]!["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(deps["influx"]!["error"]!.GetValue<string>()));
        Assert.Equal("ok", deps["postgres"]!["status"]!.GetValue<string>());
        // Without a Redis URL the bus is in-process: listed, never failing.
        Assert.Equal("not-configured", deps["redis"]!["status"]!.GetValue<string>());
    }
}

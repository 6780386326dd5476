using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Transport.Limits;

/// <summary>
/// A server over the fixture's database with an unauthorized role (anonymous clients, as an attacker would
/// be) and a body limit large enough for megabyte documents; <paramref name="settings"/> adds or overrides.
/// </summary>
internal sealed class LimitsHost : IAsyncDisposable
{
    /// <summary>
    /// "Promptly" in these tests. The second is measured by bench/Abuse on a Release build; here a Debug
    /// build shares two cores with the rest of the suite, so the bound only has to tell seconds from minutes
    /// (before issue 13 these shapes took from seconds to many minutes, or killed the process).
    /// </summary>
    public static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    private readonly WebApplicationFactory<Program> _host;

    public LimitsHost(PeregrineFixture fx, params (string Name, string Value)[] settings)
    {
        _host = fx.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("PEREGRINE_MAX_REQUEST_BYTES", (8 << 20).ToString());
            b.UseSetting("PEREGRINE_UNAUTHORIZED_ROLE", "anonymous");
            foreach (var (name, value) in settings) b.UseSetting(name, value);
        });
    }

    public WebApplicationFactory<Program> Factory => _host;

    public HttpClient Anonymous() => _host.CreateClient();

    public HttpClient Admin()
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Add("x-hasura-admin-secret", PeregrineFixture.AdminSecret);
        return client;
    }

    public static string Body(string query, object? variables = null) => JsonSerializer.Serialize(new { query, variables });

    public async Task<Response> PostAsync(string body, HttpClient? client = null)
    {
        using var owned = client is null ? Anonymous() : null;
        var clock = Stopwatch.StartNew();
        using var response = await (client ?? owned!).PostAsync("/v1/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        clock.Stop();
        Assert.DoesNotContain("   at ", text);
        return new Response(response.StatusCode, JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 512 })!, clock.Elapsed);
    }

    /// <summary>
    /// Runs <paramref name="abuse"/> while a second client sends a cheap query every 50 ms; returns the abusive
    /// answer and the slowest cheap answer (every one of which must have been right).
    /// </summary>
    public async Task<(Response Abuse, TimeSpan SlowestCheap)> WhileServingOthersAsync(Func<Task<Response>> abuse)
    {
        using var cheapClient = Anonymous();
        // Warm the cheap query so its plan is cached and a first-use cost is not counted against the abuse.
        (await PostAsync(Body("{ categories(limit: 1) { name } }"), cheapClient)).Data();
        var done = new CancellationTokenSource();
        var slowest = TimeSpan.Zero;
        var cheap = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var r = await PostAsync(Body("{ categories(limit: 1) { name } }"), cheapClient);
                Assert.Single(r.Data()["categories"]!.AsArray());
                if (r.Elapsed > slowest) slowest = r.Elapsed;
                await Task.Delay(50);
            }
        });
        Response result;
        try { result = await abuse(); }
        finally { await done.CancelAsync(); }
        await cheap;
        return (result, slowest);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    public sealed record Response(HttpStatusCode Status, JsonNode Json, TimeSpan Elapsed)
    {
        public JsonNode Data() => Json.Data();
        public string Code => Json.ErrorCode();
        public string Message => Json["errors"]?[0]?["message"]?.GetValue<string>() ?? $"no error in {Json.ToJsonString()[..Math.Min(300, Json.ToJsonString().Length)]}";
    }
}

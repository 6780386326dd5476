using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Execution.Preparation;
using Peregrine.Domain.Events;
using Peregrine.Graph.Subscriptions;
using Peregrine.Graph.Tests.Infrastructure;
using Peregrine.Graph.Tests.WebSockets;

namespace Peregrine.Graph.Tests.Execution.Preparation;

/// <summary>
/// One parse per operation: a document is parsed once, by <see cref="DocumentParser"/>, and every later stage
/// (transport, stream and sensor detection, live-query analysis, validation, each refresh) takes the prepared
/// operation. Each test uses a document text of its own (a fresh alias), so other tests' parses never count.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class ParseOnceTests(PeregrineFixture fx) : IDisposable
{
    private readonly ConcurrentDictionary<string, int> _parses = new();

    private void Count(string query) => _parses.AddOrUpdate(query, 1, (_, n) => n + 1);

    private int ParsesOf(string query) => _parses.GetValueOrDefault(query);

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private async Task<WsClient> SubscribedAsync(string query, object? variables = null)
    {
        await fx.Factory.Services.GetRequiredService<PostgresChangeListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return await WsClient.AdminSubscribedAsync(fx, "p", query, variables);
    }


    [Fact]
    public async Task A_live_query_is_parsed_once_for_its_start_and_all_its_refreshes()
    {
        DocumentParser.Parsed += Count;
        var alias = Unique("live_");
        var name = Unique("po-");
        var query = $"subscription ($n: String!) {{ {alias}: categories(where: {{name: {{_eq: $n}}}}) {{ name }} }}";
        await using var ws = await SubscribedAsync(query, new { n = name });
        Assert.Empty((await ws.NextDataAsync(alias)).AsArray());
        await fx.ScalarAsync<int>("INSERT INTO categories (name) VALUES ($1)", name);
        Assert.Single((await ws.NextDataAsync(alias)).AsArray());
        await fx.ScalarAsync<int>("DELETE FROM categories WHERE name = $1", name);
        Assert.Empty((await ws.NextDataAsync(alias)).AsArray());

        Assert.Equal(1, ParsesOf(query));
    }

    [Fact]
    public async Task A_stream_is_parsed_once_and_validated_on_the_executors_path()
    {
        DocumentParser.Parsed += Count;
        var alias = Unique("stream_");
        var prefix = Unique("ps-");
        await fx.ScalarAsync<int>("INSERT INTO categories (name) VALUES ($1)", prefix + "a");
        var query = $"subscription ($p: String!, $like: String!) {{ {alias}: categories_stream(batch_size: 5, cursor: {{initial_value: {{name: $p}}}}, where: {{name: {{_like: $like}}}}) {{ name }} }}";
        await using var ws = await SubscribedAsync(query, new { p = prefix, like = prefix + "%" });
        Assert.Single((await ws.NextDataAsync(alias)).AsArray());
        Assert.Equal(1, ParsesOf(query));

        // The same validation as a request's: an unknown field is refused with GraphQL.NET's message.
        var invalid = $"subscription {{ {Unique("bad_")}: categories_stream(batch_size: 1, cursor: {{initial_value: {{name: \"a\"}}}}) {{ nope }} }}";
        await using var refused = await SubscribedAsync(invalid);
        var error = (await refused.ReceiveAsync())!;
        Assert.Equal("error", (string?)error["type"]);
        Assert.Contains("nope", error["payload"]!.ToJsonString());
        Assert.Equal(1, ParsesOf(invalid));
    }

    [Fact]
    public async Task An_http_query_is_parsed_once_and_its_repeats_not_at_all()
    {
        DocumentParser.Parsed += Count;
        var query = $"{{ {Unique("q_")}: categories(limit: 1) {{ name }} }}";
        for (var i = 0; i < 3; i++) (await fx.GraphQLAsync(query)).Data();
        Assert.Equal(1, ParsesOf(query));
    }

    /// <summary>
    /// The runtime counts above see only parses made through <see cref="DocumentParser"/>; this keeps a stage from
    /// calling the parser directly. Startup files (REST endpoints) and the allow-list's canonical hash parse for
    /// other reasons and are named here.
    /// </summary>
    [Fact]
    public void Only_the_document_parser_calls_GraphQLs_parser()
    {
        var src = Path.Combine(RepoRoot(), "src", "Peregrine.Graph");
        var allowed = new[] { "Execution/Preparation/DocumentParser.cs", "Rest/RestEndpointsFile.cs", "Rest/RestOperationCheck.cs", "PersistedQueries/AllowList.cs" };
        var callers = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"\bParser\.Parse\s*\("))
            .Select(f => Path.GetRelativePath(src, f).Replace('\\', '/'))
            .Where(f => !allowed.Contains(f))
            .ToList();
        Assert.Empty(callers);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Peregrine.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Peregrine.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose() => DocumentParser.Parsed -= Count;
}

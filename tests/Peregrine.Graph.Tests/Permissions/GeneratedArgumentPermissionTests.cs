using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Domain.Events;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Metadata.Permissions;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Tests.Infrastructure;
using Peregrine.Graph.Tests.Permissions.Generated;
using Peregrine.Graph.Tests.WebSockets;
using static Peregrine.Graph.Tests.Permissions.Generated.GraphQLText;
using Xunit.Abstractions;

namespace Peregrine.Graph.Tests.Permissions;

/// <summary>
/// The permission test generator at work (<see cref="ArgumentProbes"/>): for every role, table and
/// column the role does not see on every row, every argument position must refuse the column; and for
/// every relationship into a table the role reads under a row filter, filters, aggregates and orderings
/// through it must answer exactly as if only the related rows the role may read existed. The truth for
/// the second is the admin's answer with the role's filters written out by hand.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class GeneratedArgumentPermissionTests(PeregrineFixture fx, ITestOutputHelper output)
{
    private CatalogMetadata Catalog => fx.Factory.Services.GetRequiredService<SchemaRegistry>().Admin.Catalog;
    private PermissionSet Permissions => fx.Factory.Services.GetRequiredService<SchemaRegistry>().Permissions;

    /// <summary>Every role of the permissions file (the unauthorized role <c>anonymous</c> among them).</summary>
    private IReadOnlyList<string> Roles => Permissions.Roles.Order(StringComparer.Ordinal).ToList();

    /// <summary>Six users favourite a few reports each, so every user has favourites the others must not see.</summary>
    private async Task<string> SessionUserAsync()
    {
        await fx.ScalarAsync<int>("""
            INSERT INTO user_favorites (user_id, report_id)
            SELECT u.id, r.id FROM (SELECT id FROM users ORDER BY md5(id::text || 'generated') LIMIT 6) u
            CROSS JOIN LATERAL (SELECT id FROM phenom_reports ORDER BY md5(id::text || u.id::text) LIMIT 3) r
            ON CONFLICT DO NOTHING
            """);
        return (await fx.ScalarAsync<string>("SELECT id::text FROM users ORDER BY md5(id::text || 'generated') LIMIT 1"))!;
    }

    [Fact]
    public async Task Every_hidden_column_is_refused_in_every_argument_position()
    {
        var me = await SessionUserAsync();
        var probes = ArgumentProbes.Generate(Catalog, Permissions, Roles).ToList();
        // Not vacuous: the shipped rules hide columns from anonymous and user, and some from user on others' rows only.
        Assert.Contains(probes, p => p is { Role: "anonymous", Table: "users", Column: "email", Position: "stream cursor" });
        Assert.Contains(probes, p => p is { Role: "user", Table: "users", Column: "email", Position: "distinct_on" });
        Assert.Contains(probes, p => p is { Role: "anonymous", Table: "user_favorites", Column: "*" });

        var failures = new List<string>();
        var controlled = 0;
        foreach (var role in Roles)
        {
            var mine = probes.Where(p => p.Role == role).ToList();
            using var client = fx.ClientAs(role, me);
            using var admin = fx.AdminClient();
            foreach (var probe in mine.Where(p => !p.OverWebSocket))
            {
                var response = await fx.GraphQLAsync(probe.Query, client: client);
                if (response.ErrorCode() != "validation-failed") failures.Add($"{probe}: {probe.Query} answered {response.ToJsonString()}");
                if (probe.AdminControl && (await fx.GraphQLAsync(probe.Query, client: admin)).ErrorCode() == "validation-failed")
                    failures.Add($"{probe}: not even admin may send {probe.Query}; the probe proves nothing");
                if (probe.RoleControl is { } control)
                {
                    controlled++;
                    var allowed = await fx.GraphQLAsync(control, client: client);
                    if (allowed.ErrorCode() == "validation-failed") failures.Add($"{probe}: the role's own control {control} failed: {allowed.ToJsonString()}");
                }
            }
            var streams = mine.Where(p => p.OverWebSocket).ToList();
            foreach (var (probe, message) in await StreamAllAsync(role, me, streams.Select(p => p.Query)).ContinueWith(t => streams.Zip(t.Result)))
                if ((string?)message?["type"] != "error") failures.Add($"{probe}: {probe.Query} answered {message?.ToJsonString() ?? "nothing"}");
            foreach (var (probe, message) in await StreamAllAsync(null, null, streams.Select(p => p.Query)).ContinueWith(t => streams.Zip(t.Result)))
                // A column null on every row (phenom_media.file_id in the seed) gives a stream nothing to start from, for admin too.
                if ((string?)message?["type"] != "next" && await HasValuesAsync(probe.Table, probe.Column))
                    failures.Add($"{probe}: admin's control answered {message?.ToJsonString() ?? "nothing"}");
            var roleControls = streams.Where(p => p.RoleControl is not null).ToList();
            controlled += roleControls.Count;
            foreach (var (probe, message) in await StreamAllAsync(role, me, roleControls.Select(p => p.RoleControl!)).ContinueWith(t => roleControls.Zip(t.Result)))
                if ((string?)message?["type"] != "next") failures.Add($"{probe}: the role's control {probe.RoleControl} answered {message?.ToJsonString() ?? "nothing"}");
        }
        output.WriteLine($"{probes.Count} probes over {Roles.Count} roles, {probes.Select(p => p.Position.Split(" from ")[0]).Distinct().Count()} positions; {controlled} with a role control");
        Assert.True(failures.Count == 0, $"{failures.Count} of {probes.Count} probes failed:\n" + string.Join("\n", failures));
        Assert.True(controlled > 20, $"only {controlled} probes had a control the role may send");
    }

    private async Task<bool> HasValuesAsync(string table, string column) =>
        column == "*" || await fx.ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM \"{table}\" WHERE \"{column}\" IS NOT NULL)");

    /// <summary>Subscribes to every query on one connection; the first message of each (null when none came).</summary>
    private async Task<List<JsonObject?>> StreamAllAsync(string? role, string? userId, IEnumerable<string> queries)
    {
        var list = queries.ToList();
        if (list.Count == 0) return [];
        await fx.Factory.Services.GetRequiredService<PostgresChangeListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await using var ws = await WsClient.ConnectAsync(fx, "graphql-transport-ws");
        var headers = role is null
            ? new Dictionary<string, string> { ["x-hasura-admin-secret"] = PeregrineFixture.AdminSecret }
            : new Dictionary<string, string> { ["Authorization"] = "Bearer " + Auth.TestTokens.Sign(Auth.TestTokens.Payload(Auth.TestTokens.HasuraClaims(role, [role], userId))) };
        await ws.SendAsync(new { type = "connection_init", payload = new { headers } });
        Assert.Equal("connection_ack", (string?)(await ws.ReceiveAsync())!["type"]);
        for (var i = 0; i < list.Count; i++)
            await ws.SendAsync(new { id = i.ToString(), type = "subscribe", payload = new { query = list[i] } });
        var first = new JsonObject?[list.Count];
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (first.Any(m => m is null) && DateTime.UtcNow < deadline)
        {
            JsonObject? m;
            try { m = await ws.ReceiveAsync(TimeSpan.FromSeconds(20)); }
            catch (OperationCanceledException) { break; } // the caller names the probes left unanswered
            if (m is null) break;
            if (int.TryParse((string?)m["id"], out var id) && first[id] is null && (string?)m["type"] is "next" or "error") first[id] = m;
        }
        return first.ToList();
    }

    private sealed record FilteredRelationship(string Role, TableInfo Parent, RelationshipInfo Relationship, TableInfo Remote,
        JsonObject ParentFilter, JsonObject RemoteFilter, long? ParentLimit);

    /// <summary>Every relationship whose far table the role reads under a row filter, from the metadata and the rules.</summary>
    private IEnumerable<FilteredRelationship> FilteredRelationships(IReadOnlyDictionary<string, string> session)
    {
        foreach (var role in Roles)
            foreach (var parent in Catalog.Tables)
            {
                if (Permissions.For(parent.Name, role)?.Select is not { } parentRule) continue;
                foreach (var rel in parent.Relationships)
                {
                    if (Permissions.For(rel.RemoteTable, role)?.Select is not { Filter.Count: > 0 } remoteRule) continue;
                    yield return new FilteredRelationship(role, parent, rel, Catalog.Table(rel.RemoteTable),
                        (JsonObject)Substitute(parentRule.Filter, session)!, (JsonObject)Substitute(remoteRule.Filter, session)!, parentRule.Limit);
                }
            }
    }

    private static string Keys(TableInfo t) => string.Join(" ", t.PrimaryKey);
    private static string KeyOrder(TableInfo t) => string.Join(", ", t.PrimaryKey.Select(k => $"{{{k}: asc}}"));

    [Fact]
    public async Task Every_filtered_relationship_filters_counts_and_orders_by_the_rows_the_role_may_read()
    {
        var me = await SessionUserAsync();
        var session = new Dictionary<string, string> { ["x-hasura-user-id"] = me, ["x-hasura-device-id"] = Domain.Seeding.DemoSensors.PhoneId.ToString() };
        var cases = FilteredRelationships(session).ToList();
        Assert.Contains(cases, c => c is { Role: "user", Relationship.Name: "favorites" });
        Assert.Contains(cases, c => c is { Role: "user", Relationship.Name: "favorited_by" });

        var failures = new List<string>();
        var filterMatters = 0;
        using var admin = fx.AdminClient();
        foreach (var c in cases)
        {
            using var client = fx.ClientAs(c.Role, me);
            var p = c.Parent.Name;
            var rel = c.Relationship.Name;
            var pf = Literal(c.ParentFilter);
            var rf = Literal(c.RemoteFilter);
            var limit = c.ParentLimit is { } l ? $", limit: {l}" : "";
            var aggregates = Permissions.For(c.Remote.Name, c.Role)!.Select!.AllowAggregations;
            var label = $"{c.Role} {p}.{rel}";

            async Task Same(string what, string roleWhere, string truthWhere)
            {
                var seen = (await fx.GraphQLAsync($"{{ {p}(where: {roleWhere}, order_by: [{KeyOrder(c.Parent)}]{limit}) {{ {Keys(c.Parent)} }} }}", client: client)).Data()[p]!;
                var truth = (await fx.GraphQLAsync($"{{ {p}(where: {{_and: [{pf}, {truthWhere}]}}, order_by: [{KeyOrder(c.Parent)}]{limit}) {{ {Keys(c.Parent)} }} }}", client: admin)).Data()[p]!;
                if (seen.ToJsonString() != truth.ToJsonString())
                    failures.Add($"{label} {what}: the role found {seen.AsArray().Count} rows, {truth.AsArray().Count} have related rows it may read");
            }

            await Same("where", $"{{{rel}: {{}}}}", $"{{{rel}: {rf}}}");
            var unfiltered = (await fx.GraphQLAsync($"{{ {p}(where: {{_and: [{pf}, {{{rel}: {{}}}}]}}{limit}) {{ __typename }} }}", client: admin)).Data()[p]!.AsArray().Count;
            var filtered = (await fx.GraphQLAsync($"{{ {p}(where: {{_and: [{pf}, {{{rel}: {rf}}}]}}{limit}) {{ __typename }} }}", client: admin)).Data()[p]!.AsArray().Count;
            if (unfiltered != filtered) filterMatters++;

            if (c.Relationship.Kind == RelationshipKind.Object)
            {
                await ObjectOrderingAsync(c, client, admin, failures);
                continue;
            }
            if (!aggregates) continue;
            await Same("aggregate where", $"{{{rel}_aggregate: {{count: {{predicate: {{_gt: 0}}}}}}}}", $"{{{rel}_aggregate: {{count: {{filter: {rf}, predicate: {{_gt: 0}}}}}}}}");
            await Same("aggregate where (filtered)", $"{{{rel}_aggregate: {{count: {{filter: {{}}, predicate: {{_gte: 2}}}}}}}}", $"{{{rel}_aggregate: {{count: {{filter: {rf}, predicate: {{_gte: 2}}}}}}}}");

            // Ordering by the count: the order the counts the role may see give, ties by key.
            var ordered = (await fx.GraphQLAsync($"{{ {p}(order_by: [{{{rel}_aggregate: {{count: desc}}}}, {KeyOrder(c.Parent)}], limit: 40) {{ {Keys(c.Parent)} }} }}", client: client)).Data()[p]!.AsArray();
            var all = (await fx.GraphQLAsync($"{{ {p}(where: {pf}, order_by: [{KeyOrder(c.Parent)}]) {{ {Keys(c.Parent)} {rel}_aggregate(where: {rf}) {{ aggregate {{ count }} }} }} }}", client: admin)).Data()[p]!.AsArray();
            var expected = all.Select((row, i) => (Row: row!, Index: i, Count: row![$"{rel}_aggregate"]!["aggregate"]!["count"]!.GetValue<int>()))
                .OrderByDescending(x => x.Count).ThenBy(x => x.Index).Take(40)
                .Select(x => { var o = x.Row.AsObject().DeepClone().AsObject(); o.Remove($"{rel}_aggregate"); return o.ToJsonString(); });
            if (!expected.SequenceEqual(ordered.Select(r => r!.ToJsonString())))
                failures.Add($"{label} order_by {rel}_aggregate count: {ordered.ToJsonString()} is not the order of the counts the role sees");
        }
        output.WriteLine($"{cases.Count} filtered relationships; the filter changed the answer for {filterMatters}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(filterMatters > 0, "the test data never made a relationship's row filter matter");
    }

    // Ordering through an object relationship: a related row the role may not read orders as NULL.
    private async Task ObjectOrderingAsync(FilteredRelationship c, HttpClient client, HttpClient admin, List<string> failures)
    {
        var p = c.Parent.Name;
        var rel = c.Relationship.Name;
        var key = c.Remote.PrimaryKey[0];
        var ordered = (await fx.GraphQLAsync($"{{ {p}(order_by: [{{{rel}: {{{key}: asc}}}}, {KeyOrder(c.Parent)}], limit: 40) {{ {Keys(c.Parent)} }} }}", client: client)).Data()[p]!.AsArray();
        var all = (await fx.GraphQLAsync($"{{ {p}(where: {Literal(c.ParentFilter)}, order_by: [{KeyOrder(c.Parent)}]) {{ {Keys(c.Parent)} {rel} {{ {key} }} }} }}", client: admin)).Data()[p]!.AsArray();
        var visible = (await fx.GraphQLAsync($"{{ {c.Remote.Name}(where: {Literal(c.RemoteFilter)}) {{ {key} }} }}", client: admin)).Data()[c.Remote.Name]!.AsArray()
            .Select(r => r![key]!.ToJsonString()).ToHashSet();
        var expected = all.Select((row, i) => (Row: row!, Index: i, Key: row![rel]?[key] is { } k && visible.Contains(k.ToJsonString()) ? k : null))
            .OrderBy(x => x.Key is null).ThenBy(x => x.Key, Comparer<JsonNode?>.Create(CompareJson)).ThenBy(x => x.Index).Take(40)
            .Select(x => { var o = x.Row.AsObject().DeepClone().AsObject(); o.Remove(rel); return o.ToJsonString(); });
        if (!expected.SequenceEqual(ordered.Select(r => r!.ToJsonString())))
            failures.Add($"{c.Role} {p}.{rel} order_by: {ordered.ToJsonString()} is not the order of the related rows the role sees");
    }

    private static int CompareJson(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => 1,
        (_, null) => -1,
        _ when a.GetValueKind() == System.Text.Json.JsonValueKind.Number => a.GetValue<decimal>().CompareTo(b.GetValue<decimal>()),
        _ => string.CompareOrdinal(a.ToJsonString(), b.ToJsonString()),
    };
}

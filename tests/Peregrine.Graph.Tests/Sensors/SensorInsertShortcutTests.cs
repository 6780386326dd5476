using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Execution.Preparation;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sensors;

/// <summary>
/// <see cref="SensorInsertShortcut"/> answers exactly as GraphQL.NET's path does. Each body below is sent twice: as
/// the regular shape, and with <c>@include(if: true)</c> on the field, which means the same but always takes the
/// ordinary path; status and body must be byte-identical, and the shortcut must have run for the regular values only
/// (so the comparison is not vacuous). Values the shortcut leaves alone (types GraphQL.NET refuses, unknown fields,
/// a single object for the list) and values it takes but the field refuses (bad uuid, sensor or time, another user's
/// device) are both here.
/// </summary>
[Collection(SensorCollection.Name)]
public sealed class SensorInsertShortcutTests(SensorFixture fx)
{
    private const string Regular = "mutation Write($o: [sensor_readings_insert_input!]!) { written: insert_sensor_readings(objects: $o) { affected_rows __typename } }";
    private const string Ordinary = "mutation Write($o: [sensor_readings_insert_input!]!) { written: insert_sensor_readings(objects: $o) @include(if: true) { affected_rows __typename } }";

    private static readonly string Day = DateTime.UtcNow.Date.AddDays(-2).ToString("yyyy-MM-dd");

    private async Task<(HttpStatusCode, string)> PostAsync(HttpClient client, string query, string variablesJson)
    {
        var body = "{\"query\":" + JsonSerializer.Serialize(query) + ",\"variables\":{\"o\":" + variablesJson + "}}";
        using var r = await client.PostAsync("/v1/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
        return (r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_answer_is_the_ordinary_paths_and_only_regular_values_take_the_shortcut()
    {
        var (alice, bob, _) = await SensorUsers.LoadAsync(fx);
        var device = Guid.NewGuid();
        await fx.ScalarAsync<int>("INSERT INTO devices (id, owner_id, name, kind) VALUES ($1, $2::uuid, 'shortcut test', 'probe')", device, alice);
        var bobs = Guid.NewGuid();
        await fx.ScalarAsync<int>("INSERT INTO devices (id, owner_id, name, kind) VALUES ($1, $2::uuid, 'shortcut test', 'probe')", bobs, bob);
        string Reading(string extra) => $$"""{"device_id":"{{device}}","sensor":"t","time":"{{Day}}T08:00:00.123Z"{{extra}}}""";

        (string Variables, bool Shortcut)[] cases =
        [
            ($"[{Reading(",\"value\":21.5")},{Reading(",\"value\":7")}]", true),
            ($"[{Reading(",\"x\":1,\"y\":-2.5,\"z\":1e3,\"report_id\":null")}]", true),
            ($$"""[{"device_id":"{{device}}","sensor":"t","value":1}]""", true),
            ("[]", true),
            ($$"""[{"device_id":"nope","sensor":"t","value":1}]""", true),
            ($$"""[{"device_id":"{{bobs}}","sensor":"t","value":1}]""", true),
            ($"[{Reading(",\"value\":1").Replace("\"t\"", "\"a\\\\b\"")}]", true),
            ($"[{Reading(",\"value\":1").Replace(Day, "yesterday")}]", true),
            ($"[{Reading("")}]", true),
            ($"[{Reading(",\"x\":1")}]", true),
            ($"[{Reading(",\"value\":1,\"report_id\":\"12\"")}]", true),
            ($"[{Reading(",\"value\":1").Replace(Day, "1999-01-01")}]", true),
            ($"[{Reading(",\"value\":\"1\"")}]", false),
            ($"[{Reading(",\"value\":true")}]", false),
            ($"[{Reading(",\"value\":1e400")}]", false),
            ($"[{Reading(",\"value\":1,\"room\":\"a\"")}]", false),
            ($$"""[{"device_id":null,"sensor":"t","value":1}]""", false),
            ($$"""[{"sensor":"t","value":1}]""", false),
            ($$"""[{"device_id":"{{device}}","sensor":5,"value":1}]""", false),
            (Reading(",\"value\":1"), false),
            ("[1]", false),
            ("null", false),
        ];
        var shortcut = fx.Factory.Services.GetRequiredService<SensorInsertShortcut>();
        using var client = fx.ClientAs("user", alice);
        foreach (var (variables, taken) in cases)
        {
            var ordinary = await PostAsync(client, Ordinary, variables);
            var runs = shortcut.Runs;
            var regular = await PostAsync(client, Regular, variables);
            Assert.True(ordinary == regular, $"{variables}\n  ordinary: {ordinary}\n  shortcut: {regular}");
            Assert.True(taken == (shortcut.Runs == runs + 1), $"{variables}: shortcut {(taken ? "not " : "")}taken");
        }
    }

    [Fact]
    public async Task Other_shapes_take_the_ordinary_path()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var shortcut = fx.Factory.Services.GetRequiredService<SensorInsertShortcut>();
        using var client = fx.ClientAs("user", alice);
        string[] shapes =
        [
            "mutation($o: [sensor_readings_insert_input!]!) { insert_sensor_readings(objects: $o) { ...R } } fragment R on sensor_readings_mutation_response { affected_rows }",
            "mutation($o: [sensor_readings_insert_input!]!) { __typename insert_sensor_readings(objects: $o) { affected_rows } }",
            "mutation($o: [sensor_readings_insert_input!]! = []) { insert_sensor_readings(objects: $o) { affected_rows } }",
            "mutation($o: [sensor_readings_insert_input!]) { insert_sensor_readings(objects: $o) { affected_rows } }",
            "mutation($o: [sensor_readings_insert_input!]!) @skip(if: false) { insert_sensor_readings(objects: $o) { affected_rows } }",
        ];
        foreach (var query in shapes)
        {
            var runs = shortcut.Runs;
            await PostAsync(client, query, "[]");
            Assert.Equal(runs, shortcut.Runs);
        }
    }

    /// <summary>
    /// A body in the regular shape is read from its bytes (Transport.Http.SensorBatchBody); any other body is read as
    /// JSON as always. Each body is sent as written and with <c>"extensions":{}</c> added, which never takes the byte
    /// reader: answers must be byte-identical, and the byte reader must have served exactly the bodies marked so.
    /// </summary>
    [Fact]
    public async Task Bodies_read_from_bytes_answer_as_the_same_bodies_read_as_json()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = Guid.NewGuid();
        await fx.ScalarAsync<int>("INSERT INTO devices (id, owner_id, name, kind) VALUES ($1, $2::uuid, 'byte reader test', 'probe')", device, alice);
        var q = JsonSerializer.Serialize(Regular);
        var qp = JsonSerializer.Serialize(Regular.Replace("$o", "$p"));
        string One(string value) => $$"""{"device_id":"{{device}}","sensor":"t","time":"{{Day}}T09:00:00Z","value":{{value}}}""";
        var many = "[" + string.Join(",", Enumerable.Range(0, 10_001).Select(_ => One("1"))) + "]";

        (string Body, bool FromBytes)[] cases =
        [
            ($$$"""{"query":{{{q}}},"variables":{"o":[{{{One("1")}}},{{{One("2.5")}}}]}}""", true),
            ($$$"""{"variables":{"o":[{{{One("1")}}}]},"operationName":"Write","query":{{{q}}}}""", true),
            ($$$"""{"query":{{{q}}},"operationName":null,"variables":{"o":[]}}""", true),
            ($$$"""{"query":{{{q}}},"variables":{"o":[{"sens\u006fr":"t","device_\u0069d":"{{{device}}}","value":3,"x":null}]}}""", true),
            ($$$"""{"query":{{{qp}}},"variables":{"p":[{{{One("4")}}}]}}""", true),
            ($$$"""{"query":{{{q}}},"variables":{"o":[{{{One("1").Replace("\"value\":1", "\"value\":1,\"value\":2")}}}]}}""", false),
            ($$$"""{"query":{{{q}}},"variables":{"o":[{{{One("1").Replace("\"value\":1", "\"value\":1,\"val\\u0075e\":2")}}}]}}""", false),
            ($$$"""{"query":"query { __typename }","query":{{{q}}},"variables":{"o":[{{{One("1")}}}]}}""", false),
            ($$$"""{"query":{{{q}}},"variables":{"o":[{{{One("1")}}}],"p":1}}""", false),
            ($$$"""{"query":{{{q}}},"variables":{"p":[{{{One("1")}}}]}}""", false),
            ($$$"""{"query":{{{q}}},"variables":{"o":[{{{One("1e400")}}}]}}""", false),
            ($$$"""{"query":{{{q}}},"variables":{"o":[{{{One("\"1\"")}}}]}}""", false),
            ($$$"""{"query":{{{q}}},"variables":{"o":{{{One("1")}}}}}""", false),
            ($$$"""{"query":{{{q}}},"variables":{"o":{{{many}}}}}""", false),
            ($$$"""{"query":{{{q}}},"operationName":"Other","variables":{"o":[]}}""", false),
        ];
        var shortcut = fx.Factory.Services.GetRequiredService<SensorInsertShortcut>();
        using var client = fx.ClientAs("user", alice);
        foreach (var (body, fromBytes) in cases)
        {
            var asJson = await PostBodyAsync(client, Encoding.UTF8.GetBytes(body.Insert(1, "\"extensions\":{},")));
            var before = shortcut.RunsFromBytes;
            var asBytes = await PostBodyAsync(client, Encoding.UTF8.GetBytes(body));
            var shown = body.Length > 300 ? body[..300] + "…" : body;
            Assert.True(asJson == asBytes, $"{shown}\n  as JSON:  {asJson}\n  as bytes: {asBytes}");
            Assert.True(fromBytes == (shortcut.RunsFromBytes == before + 1), $"{shown}: byte reader {(fromBytes ? "not " : "")}used");
        }

        // A sensor string that is not UTF-8: the JSON reader's error, and the byte reader stays out of it.
        var bad = Encoding.UTF8.GetBytes($$$"""{"query":{{{q}}},"variables":{"o":[{{{One("1").Replace("\"t\"", "\"t#\"")}}}]}}""");
        bad[Array.IndexOf(bad, (byte)'#')] = 0xC3;
        var was = shortcut.RunsFromBytes;
        var (status, text) = await PostBodyAsync(client, bad);
        Assert.Equal(was, shortcut.RunsFromBytes);
        Assert.DoesNotContain("affected_rows", text);
        Assert.Contains("\"errors\"", text);
        Assert.NotEqual(HttpStatusCode.InternalServerError, status);
    }

    private static async Task<(HttpStatusCode, string)> PostBodyAsync(HttpClient client, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var r = await client.PostAsync("/v1/graphql", content);
        return (r.StatusCode, await r.Content.ReadAsStringAsync());
    }
}

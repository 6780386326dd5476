using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Rest;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Hosting;

/// <summary>
/// REST endpoints' operations validated against the real generated schema at start-up: what Program's start-up
/// check runs (the process then prints the one line and exits 2, tests/node/ops/test/rest.test.js).
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class RestOperationCheckTests(PeregrineFixture fx) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("peregrine-rest-check-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task CheckAsync(string endpointsJson)
    {
        var path = Path.Combine(_folder, "rest-endpoints.json");
        File.WriteAllText(path, endpointsJson);
        var options = new RestOptions(path);
        return RestOperationCheck.RunAsync(new RestEndpoints(options), options, fx.Factory.Services.GetRequiredService<SchemaRegistry>());
    }

    private static string One(string name, string operation) =>
        System.Text.Json.JsonSerializer.Serialize(new { endpoints = new[] { new { name, url = "x/:id", methods = new[] { "GET" }, operation } } });

    [Fact]
    public async Task The_shipped_endpoints_validate()
    {
        // Every shipped operation has required variables: a missing value is not the document's fault.
        var shipped = Path.Combine(AppContext.BaseDirectory, "Operations", "rest-endpoints.json");
        Assert.True(File.Exists(shipped), shipped);
        var options = new RestOptions(shipped);
        var endpoints = new RestEndpoints(options);
        Assert.True(endpoints.All.Count >= 9);
        await RestOperationCheck.RunAsync(endpoints, options, fx.Factory.Services.GetRequiredService<SchemaRegistry>());
    }

    [Fact]
    public async Task A_valid_operation_passes()
    {
        await CheckAsync(One("good", "query Good($id: uuid!) { phenom_reports_by_pk(id: $id) { id description } }"));
    }

    [Fact]
    public async Task An_unknown_field_stops_start_up_naming_the_endpoint()
    {
        var e = await Assert.ThrowsAsync<InvalidSettingException>(() =>
            CheckAsync(One("broken_field", "query Broken($id: uuid!) { phenom_reports_by_pk(id: $id) { id no_such_column } }")));
        Assert.StartsWith("invalid setting PEREGRINE_REST_ENDPOINTS_FILE=", e.Message);
        Assert.Contains("endpoint \"broken_field\"", e.Message);
        Assert.Contains("no_such_column", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task An_unknown_root_field_in_a_subscription_endpoint_is_caught_too()
    {
        // Subscriptions are served as queries over REST; the converted document is what is validated.
        var e = await Assert.ThrowsAsync<InvalidSettingException>(() =>
            CheckAsync(One("bad_sub", "subscription S($id: uuid!) { no_such_table(where: { id: { _eq: $id } }) { id } }")));
        Assert.Contains("endpoint \"bad_sub\"", e.Message);
        Assert.Contains("no_such_table", e.Message);
    }

    [Fact]
    public async Task A_variable_of_the_wrong_type_stops_start_up()
    {
        var e = await Assert.ThrowsAsync<InvalidSettingException>(() =>
            CheckAsync(One("wrong_type", "query W($id: Int!) { phenom_reports_by_pk(id: $id) { id } }")));
        Assert.Contains("endpoint \"wrong_type\"", e.Message);
        Assert.Contains("$id", e.Message);
    }

    [Fact]
    public async Task A_nullable_variable_where_a_required_one_is_expected_stops_start_up()
    {
        var e = await Assert.ThrowsAsync<InvalidSettingException>(() =>
            CheckAsync(One("nullable", "query N($id: uuid) { phenom_reports_by_pk(id: $id) { id } }")));
        Assert.Contains("endpoint \"nullable\"", e.Message);
    }

    [Fact]
    public async Task A_variable_nested_in_an_input_object_is_checked_too()
    {
        var e = await Assert.ThrowsAsync<InvalidSettingException>(() =>
            CheckAsync(One("nested", "query N($id: Int) { phenom_reports(where: { id: { _eq: $id } }) { id } }")));
        Assert.Contains("endpoint \"nested\"", e.Message);
        await CheckAsync(One("nested_ok", "query N($id: uuid, $n: Int) { phenom_reports(where: { id: { _in: [$id] } }, limit: $n) { id } }"));
    }
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Metadata.Permissions;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sessions;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Permissions;

/// <summary>A permissions file naming something that does not exist stops start-up, saying where.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class PermissionsFileTests(PeregrineFixture fx)
{
    private static readonly string Shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "permissions.json"));

    [Theory]
    [InlineData("""{"no_such_table": {"user": {"select": {"columns": "*"}}}}""", "no_such_table: no such table")]
    [InlineData("""{"users": {"user": {"select": {"columns": ["id", "nickname"]}}}}""", "no column 'nickname'")]
    [InlineData("""{"users": {"user": {"select": {"columns": "*", "filter": {"nope": {"_eq": 1}}}}}}""", "nope")]
    [InlineData("""{"users": {"user": {"select": {"columns": "*", "filter": {"id": {"_approx": "X-Hasura-User-Id"}}}}}}""", "_approx")]
    [InlineData("""{"users": {"user": {"update": {"columns": ["profile"], "filter": {}}}}}""", "must also have a select rule")]
    [InlineData("""{"users": {"admin": {"select": {"columns": "*"}}}}""", "admin may do everything")]
    [InlineData("""{"users": {"user": {"upsert": {}}}}""", "unknown operation 'upsert'")]
    public void Invalid_rules_are_refused_with_their_location(string json, string expected)
    {
        var catalog = fx.Factory.Services.GetRequiredService<SchemaRegistry>().Admin.Catalog;
        var e = Assert.Throws<InvalidDataException>(() => PermissionsFile.Parse(JsonNode.Parse(json)!.AsObject(), catalog, "test.json"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_shipped_file_is_valid_and_hides_password_hash_from_every_role()
    {
        var registry = fx.Factory.Services.GetRequiredService<SchemaRegistry>();
        var set = PermissionsFile.Parse(JsonNode.Parse(Shipped)!.AsObject(), registry.Admin.Catalog, "permissions.json");
        Assert.Equal(["anonymous", "device", "moderator", "user"], set.Roles.Order());
        foreach (var role in set.Roles)
        {
            var sdl = GraphQL.SchemaExtensions.Print(registry.For(new Session(role, new Dictionary<string, string>())).Schema);
            Assert.DoesNotContain("password_hash", sdl);
        }
    }

    [Fact]
    public void A_many_to_many_relationship_is_offered_only_through_a_bridge_the_role_reads_unfiltered()
    {
        var catalog = fx.Factory.Services.GetRequiredService<SchemaRegistry>().Admin.Catalog;
        var rules = JsonNode.Parse(Shipped)!.AsObject();
        Assert.NotNull(catalog.ForRole(PermissionsFile.Parse(rules, catalog, "permissions.json"), "user").Table("phenom_reports").FindRelationship("categories"));

        // The bridge's rows filtered for the role (or not readable at all): the relationship is gone from its schema.
        rules["phenom_report_categories"]!["user"]!["select"]!["filter"] = JsonNode.Parse("""{"report": {"user_id": {"_eq": "X-Hasura-User-Id"}}}""");
        var filtered = catalog.ForRole(PermissionsFile.Parse(rules, catalog, "test.json"), "user");
        Assert.Null(filtered.Table("phenom_reports").FindRelationship("categories"));
        Assert.Null(filtered.Table("categories").FindRelationship("phenom_reports"));
        rules["phenom_report_categories"]!.AsObject().Remove("user");
        Assert.Null(catalog.ForRole(PermissionsFile.Parse(rules, catalog, "test.json"), "user").Table("phenom_reports").FindRelationship("categories"));
    }
}

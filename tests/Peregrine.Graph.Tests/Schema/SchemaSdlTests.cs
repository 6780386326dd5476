using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Schema;

[Collection(PeregrineCollection.Name)]
public sealed class SchemaSdlTests(PeregrineFixture fx)
{
    [Fact]
    public void Schema_graphql_at_the_root_is_the_served_admin_schema()
    {
        var served = fx.Factory.Services.GetRequiredService<GeneratedSchema>().Schema.Print();
        var committed = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schema.graphql"));
        Assert.True(committed == served,
            "schema.graphql is out of date: regenerate it with `dotnet run --project src/Peregrine.Graph -- print-schema > schema.graphql`");
    }

    [Fact]
    public void The_schema_has_hasuras_names()
    {
        var sdl = fx.Factory.Services.GetRequiredService<GeneratedSchema>().Schema.Print();
        foreach (var expected in new[]
        {
            "type query_root", "type mutation_root", "type subscription_root",
            "input phenom_reports_bool_exp", "input phenom_reports_order_by", "input phenom_reports_insert_input",
            "enum categories_constraint", "categories_name_key", "enum phenom_reports_select_column",
            "input uuid_comparison_exp", "input geography_comparison_exp", "input st_d_within_geography_input",
            "phenom_reports_by_pk(id: uuid!): phenom_reports", "insert_phenom_reports_one(", "scalar bigint",
            "categories(", "input categories_arr_rel_insert_input", "input users_obj_rel_insert_input",
        })
            Assert.Contains(expected, sdl);
        Assert.DoesNotContain("password_hash", sdl);
    }
}

using Peregrine.Graph.Compile;
using Peregrine.Graph.Sql;
using Peregrine.Graph.Sql.Tree;

namespace Peregrine.Graph.Tests.Compile;

/// <summary>
/// The later forms of a statement (snapshot guard, multiplexed live query, plan probe) are built on its tree of text and
/// typed slots: a <c>$</c> inside the statement's own text is never taken for a parameter.
/// </summary>
public sealed class SqlTreeTests
{
    // A statement with a '$' of its own (a JSON path literal) and a text[] parameter.
    private static CompiledStatement Statement(string id, string[] tags)
    {
        var w = new SqlWriter();
        w.Append("SELECT json_build_object('id', ").Param(id).Append("::uuid, 'path', '$.a.$b', 'tags', ").Param(tags).Append(")");
        return w.Build();
    }

    [Fact]
    public void Slots_render_as_numbered_placeholders_once()
    {
        var s = Statement("x", ["a"]);
        Assert.Equal("SELECT json_build_object('id', $1::uuid, 'path', '$.a.$b', 'tags', $2)", s.Sql);
        Assert.Equal([SqlType.Text, SqlType.TextArray], s.Body.Slots.Select(p => p.Type));
        Assert.Same(s.Sql, s.With(["y", new[] { "b" }]).Sql);
    }

    [Fact]
    public void The_snapshot_guard_takes_the_next_slot_around_the_statement()
    {
        var guarded = SnapshotGuard.Wrap(Statement("x", ["a"]), "10:20:");
        Assert.Equal("SELECT pg_current_snapshot()::text, CASE WHEN pg_current_snapshot()::text = $3 THEN NULL ELSE ("
            + "SELECT json_build_object('id', $1::uuid, 'path', '$.a.$b', 'tags', $2)\n) END", guarded.Sql);
        Assert.Equal(["x", new[] { "a" }, "10:20:"], guarded.Parameters);
    }

    [Fact]
    public void A_multiplexed_statement_puts_each_groups_values_in_columns_and_leaves_the_statements_own_text_alone()
    {
        var groups = new[] { Statement("x", ["a", "b\"c"]), Statement("y", []) }
            .Select(s => (IReadOnlyList<(string, CompiledStatement)>)[("k", s)]).ToList();
        var multiplexed = MultiplexedQuery.Build(groups);
        Assert.Equal("SELECT g.i, (SELECT json_build_object('id', g.p0_1::uuid, 'path', '$.a.$b', 'tags', (g.p0_2)::text[])) "
            + "FROM unnest($1::int[], $2::text[], $3::text[]) AS g(i, p0_1, p0_2)", multiplexed.Sql);
        Assert.Equal([0, 1], multiplexed.Groups);
        Assert.Equal(["x", "y"], multiplexed.Columns[0]);
        Assert.Equal(["{\"a\",\"b\\\"c\"}", "{}"], multiplexed.Columns[1]);
        Assert.Equal(MultiplexedQuery.ShapeOf(groups[0]), MultiplexedQuery.ShapeOf(groups[1]));
    }

    [Fact]
    public void Shapes_compare_text_and_slots_not_values()
    {
        Assert.True(Statement("x", ["a"]).Body.SameShape(Statement("y", ["b", "c"]).Body));
        var w = new SqlWriter();
        w.Append("SELECT json_build_object('id', ").Param("x").Append("::uuid, 'path', '$.a.$b', 'tags', ").Param("not an array").Append(")");
        Assert.False(Statement("x", ["a"]).Body.SameShape(w.Build().Body)); // same text, a slot of another type
        Assert.Equal(Statement("x", ["a"]).Sql, w.Build().Sql);
    }
}

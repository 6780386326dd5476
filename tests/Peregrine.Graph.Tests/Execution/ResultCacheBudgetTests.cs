using Peregrine.Graph.Execution.Results;
using Peregrine.Graph.Sql;

namespace Peregrine.Graph.Tests.Execution;

/// <summary>The cache's memory stays within its budget, and its keys tell apart every distinct parameter list.</summary>
public sealed class ResultCacheBudgetTests
{
    private static StatementKey Key(params object?[] parameters) => StatementKey.Of(CompiledStatement.HandWritten("SELECT $1", parameters));

    [Fact]
    public void The_oldest_answers_go_when_the_budget_is_spent()
    {
        var cache = new ResultCache(64 * 1024);
        var json = new string('x', 1000);
        for (var i = 0; i < 200; i++) cache.Store(Key(i.ToString()), "1:1:", json, json.Length);
        Assert.InRange(cache.Bytes, 1, 64 * 1024);
        Assert.Null(cache.Find(Key("0")));
        Assert.NotNull(cache.Find(Key("199")));
    }

    [Fact]
    public void An_answer_over_a_sixteenth_of_the_budget_is_not_kept()
    {
        var cache = new ResultCache(16 * 1024);
        var json = new string('x', 2000);
        cache.Store(Key("big"), "1:1:", json, json.Length);
        Assert.Null(cache.Find(Key("big")));
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void A_fresher_answer_replaces_the_kept_one_and_its_size()
    {
        var cache = new ResultCache(1024 * 1024);
        cache.Store(Key("a"), "1:1:", new string('x', 100), 100);
        var before = cache.Bytes;
        cache.Store(Key("a"), "2:2:", new string('y', 300), 300);
        Assert.Equal("2:2:", cache.Find(Key("a"))!.Snapshot);
        Assert.Equal(before + 200, cache.Bytes); // same snapshot length, 200 more bytes of answer
    }

    [Fact]
    public void Keys_differ_whenever_the_parameters_do()
    {
        object?[][] lists =
        [
            ["a,b"], [new[] { "a", "b" }], [new[] { "a,b" }], ["a", "b"], [null], [""], ["N"], [new string[0]], [1], ["1"],
        ];
        var keys = lists.Select(l => Key(l)).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(Key("x", null), Key("x", null));
    }
}

using System.Net;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Transport.Limits;

/// <summary>
/// Issue 13 §1, every abusive shape sent by an anonymous client under the default limits: a megabyte of it
/// stops at the document size limit; just under that limit (250 KB) it reaches the shape checks and answers
/// with the error of the limit it breaks. Either way within a second, while a second client's cheap query
/// keeps being answered.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class DocumentShapeLimitsTests(PeregrineFixture fx)
{
    private const int UnderTheSizeLimit = 250_000;

    public static TheoryData<string> Shapes() => new(AbusiveDocuments.All.Keys);

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task A_megabyte_of_any_shape_is_refused_by_its_size_within_a_second(string shape)
    {
        await using var host = new LimitsHost(fx);
        var query = AbusiveDocuments.All[shape](AbusiveDocuments.Megabyte);
        if (shape == "fragment-bomb") return; // small by construction: see the theory below
        var (answer, slowestCheap) = await host.WhileServingOthersAsync(() => host.PostAsync(LimitsHost.Body(query)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        Assert.Equal("validation-failed", answer.Code);
        Assert.Contains("PEREGRINE_MAX_DOCUMENT_BYTES=262144", answer.Message);
        Assert.InRange(answer.Elapsed, TimeSpan.Zero, LimitsHost.Prompt);
        Assert.InRange(slowestCheap, TimeSpan.Zero, LimitsHost.Prompt);
    }

    [Theory]
    [InlineData("repeated-field", "PEREGRINE_MAX_FIELDS=2000")]
    [InlineData("repeated-typename", "PEREGRINE_MAX_FIELDS=2000")]
    [InlineData("distinct-aliases", "PEREGRINE_MAX_FIELDS=2000")]
    [InlineData("deep-selection", "query nesting too deep: brackets nest more than 128 levels")]
    [InlineData("deep-list-value", "query nesting too deep: brackets nest more than 128 levels")]
    [InlineData("deep-object-value", "query nesting too deep: brackets nest more than 128 levels")]
    [InlineData("fragment-chain", "fragment spreads are nested")]
    [InlineData("fragment-cycle", "Cannot spread fragment 'F0' within itself via 'F1', 'F2', 'F3', 'F4', 'F5', ...")]
    [InlineData("many-fragments", "PEREGRINE_MAX_FIELDS=2000")]
    [InlineData("fragment-bomb", "the query selects 16385 fields once fragments are expanded")]
    [InlineData("many-operations", "PEREGRINE_MAX_FIELDS=2000")]
    // Within every limit of the shape: GraphQL.NET's validation refuses them (or its time budget ends it).
    [InlineData("many-variables", "")]
    [InlineData("repeated-arguments", "")]
    [InlineData("repeated-directives", "")]
    public async Task Each_shape_under_the_size_limit_answers_within_a_second_with_its_limit(string shape, string message)
    {
        await using var host = new LimitsHost(fx);
        var query = AbusiveDocuments.All[shape](UnderTheSizeLimit);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(query) <= 262_144);
        var (answer, slowestCheap) = await host.WhileServingOthersAsync(() => host.PostAsync(LimitsHost.Body(query)));
        Console.WriteLine($"{shape}: {answer.Elapsed.TotalMilliseconds:F0} ms, cheap {slowestCheap.TotalMilliseconds:F0} ms: {answer.Message[..Math.Min(200, answer.Message.Length)]}");
        Assert.Equal("validation-failed", answer.Code);
        Assert.Contains(message, answer.Message);
        Assert.InRange(answer.Elapsed, TimeSpan.Zero, LimitsHost.Prompt);
        Assert.InRange(slowestCheap, TimeSpan.Zero, LimitsHost.Prompt);
    }

    [Fact]
    public async Task A_huge_string_under_the_size_limit_is_a_legitimate_query_and_answers()
    {
        await using var host = new LimitsHost(fx);
        var answer = await host.PostAsync(LimitsHost.Body(AbusiveDocuments.HugeString(UnderTheSizeLimit)));
        Assert.Empty(answer.Data()["categories"]!.AsArray());
        Assert.InRange(answer.Elapsed, TimeSpan.Zero, LimitsHost.Prompt);
    }

    [Fact]
    public async Task A_hundred_thousand_variables_in_the_body_answer_within_a_second()
    {
        await using var host = new LimitsHost(fx);
        var variables = Enumerable.Range(0, 100_000).ToDictionary(i => $"v{i}", i => i);
        var answer = await host.PostAsync(LimitsHost.Body("query($v7: Int) { categories(limit: $v7) { name } }", variables));
        Assert.Equal(7, answer.Data()["categories"]!.AsArray().Count);
        Assert.InRange(answer.Elapsed, TimeSpan.Zero, LimitsHost.Prompt);
    }
}

using System.Net;
using System.Text;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Permissions;

/// <summary>The mutation path allows a user 10 requests a second; past that, 429 with Retry-After, for that user only.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class MutationRateLimitTests(PeregrineFixture fx)
{
    private HttpClient As(string userId) => fx.ClientAs("user", userId);

    private static async Task<HttpResponseMessage> MutateAsync(HttpClient client, string userId) =>
        await client.PostAsync("/v1/graphql", new StringContent(
            $$$"""{"query": "mutation { update_users_by_pk(pk_columns: {id: \"{{{userId}}}\"}, _set: {profile: {n: 1}}) { id } }"}""",
            Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_burst_of_mutations_from_one_user_is_cut_off_with_retry_after()
    {
        var me = (await fx.ScalarAsync<string>("SELECT id::text FROM users ORDER BY email DESC LIMIT 1"))!;
        var other = (await fx.ScalarAsync<string>("SELECT id::text FROM users ORDER BY email DESC OFFSET 1 LIMIT 1"))!;
        using var client = As(me);
        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => MutateAsync(client, me)));
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.InRange(responses.Count(r => r.StatusCode == HttpStatusCode.OK), 10, 29);
        Assert.True(limited[0].Headers.RetryAfter is not null);
        Assert.Contains("too-many-requests", await limited[0].Content.ReadAsStringAsync());

        // Another user's budget is untouched, and queries are not limited.
        using var otherClient = As(other);
        Assert.Equal(HttpStatusCode.OK, (await MutateAsync(otherClient, other)).StatusCode);
        var query = await fx.GraphQLAsync("{ categories(limit: 1) { name } }", client: client);
        Assert.Single(query.Data()["categories"]!.AsArray());
    }
}

using System.Net;
using Peregrine.Graph.Tests.Infrastructure;
using static Peregrine.Graph.Tests.Auth.AuthHttp;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>
/// Emails are stored trimmed and lower-case however a user is written (sign-up, admin GraphQL insert and
/// update, plain SQL), so an admin-inserted <c>Mixed.Case@Example.COM</c> cannot be signed up again as
/// <c>mixed.case@example.com</c>. Checked against the rows themselves.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class EmailNormalizationTests(PeregrineFixture fx)
{
    [Fact]
    public async Task An_admin_inserted_mixed_case_email_cannot_be_duplicated()
    {
        var local = "Mixed.Case." + Guid.NewGuid().ToString("N")[..8];
        var inserted = await fx.GraphQLAsync("mutation($e: String!) { insert_users_one(object: {email: $e}) { id email } }",
            new { e = $"  {local}@Example.COM " });
        var id = Guid.Parse(inserted.Data()["insert_users_one"]!["id"]!.GetValue<string>());
        var normal = $"{local}@example.com".ToLowerInvariant();
        Assert.Equal(normal, inserted.Data()["insert_users_one"]!["email"]!.GetValue<string>());
        Assert.Equal(normal, await fx.ScalarAsync<string>("SELECT email FROM users WHERE id = $1", id));

        var client = fx.Factory.CreateClient();
        foreach (var variant in new[] { normal, $"{local}@EXAMPLE.com", local.ToUpperInvariant() + "@example.com" })
        {
            var reply = await PostAsync(client, "/signup/email-password", new { email = variant, password = Password });
            Assert.Equal((HttpStatusCode.Conflict, "email-already-in-use"), (reply.Status, reply.Error));
        }
        Assert.Equal(1, await fx.ScalarAsync<long>("SELECT count(*) FROM users WHERE lower(email) = $1", normal));

        // A second admin insert of a case variant hits the unique constraint.
        var again = await fx.GraphQLAsync("mutation($e: String!) { insert_users_one(object: {email: $e}) { id } }",
            new { e = local.ToUpperInvariant() + "@example.com" });
        Assert.Equal("constraint-violation", again.ErrorCode());

        // Updates are normalised too, and plain SQL as well.
        var renamed = "Renamed." + Guid.NewGuid().ToString("N")[..8];
        var updated = await fx.GraphQLAsync("mutation($id: uuid!, $e: String!) { update_users_by_pk(pk_columns: {id: $id}, _set: {email: $e}) { email } }",
            new { id, e = renamed + "@Example.org" });
        Assert.Equal((renamed + "@example.org").ToLowerInvariant(), updated.Data()["update_users_by_pk"]!["email"]!.GetValue<string>());
        var sql = await fx.ScalarAsync<string>("INSERT INTO users (email) VALUES ($1) RETURNING email", " SQL." + local + "@Example.NET");
        Assert.Equal(("sql." + local + "@example.net").ToLowerInvariant(), sql);
    }
}

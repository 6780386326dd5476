using System.Net;
using Peregrine.Graph.Tests.Infrastructure;
using static Peregrine.Graph.Tests.Auth.AuthHttp;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>
/// Users migrated from Hasura Auth/Nhost keep their bcrypt hashes: the right password signs in and the hash
/// is replaced by Argon2id on that first success; a wrong one is refused as ever. Hashes come from npm's bcryptjs.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class BcryptMigrationTests(PeregrineFixture fx)
{
    [Theory]
    [InlineData('b')]
    [InlineData('a')]
    public async Task A_bcrypt_hash_signs_in_and_is_rehashed_to_argon2id(char minor)
    {
        var email = NewEmail("bcrypt");
        var password = "migrated from nhost " + Guid.NewGuid().ToString("N")[..8];
        var bcrypt = BcryptOracle.Hash(password, minor: minor);
        Assert.StartsWith($"$2{minor}$10$", bcrypt);
        // As an import from Hasura Auth leaves it: a users row with the hash, no auth settings row.
        var id = await fx.ScalarAsync<Guid>("INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING id", email, bcrypt);
        var client = fx.Factory.CreateClient();

        Assert.Equal((HttpStatusCode.Unauthorized, "invalid-email-password"),
            await StatusAsync(PostAsync(client, "/signin/email-password", new { email, password = password + "x" })));
        Assert.Equal(bcrypt, await fx.ScalarAsync<string>("SELECT password_hash FROM users WHERE id = $1", id));

        var session = (await PostAsync(client, "/signin/email-password", new { email, password })).Ok()["session"]!;
        Assert.Equal(id.ToString(), session["user"]!["id"]!.GetValue<string>());
        var rehashed = await fx.ScalarAsync<string>("SELECT password_hash FROM users WHERE id = $1", id);
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", rehashed);

        // The new hash takes the same password, and only it.
        (await PostAsync(client, "/signin/email-password", new { email, password })).Ok();
        Assert.Equal("invalid-email-password", (await PostAsync(client, "/signin/email-password", new { email, password = "wrong" })).Error);
        Assert.Equal(rehashed, await fx.ScalarAsync<string>("SELECT password_hash FROM users WHERE id = $1", id));
    }

    private static async Task<(HttpStatusCode, string?)> StatusAsync(Task<Reply> reply) => ((await reply).Status, (await reply).Error);
}

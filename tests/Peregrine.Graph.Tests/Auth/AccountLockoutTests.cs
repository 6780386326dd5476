using System.Net;
using Peregrine.Graph.Tests.Infrastructure;
using static Peregrine.Graph.Tests.Auth.AuthHttp;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>
/// Wrong passwords lock the attacking source (address + account), not the account: the owner still signs in
/// from another address. Clients connect from distinct loopback addresses to a real Kestrel server.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class AccountLockoutTests(PeregrineFixture fx)
{
    private static Task<Reply> SignInAsync(HttpClient client, string email, string password, string? forwardedFor = null)
    {
        if (forwardedFor is null) return PostAsync(client, "/signin/email-password", new { email, password });
        client.DefaultRequestHeaders.Remove("X-Forwarded-For");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return PostAsync(client, "/signin/email-password", new { email, password });
    }

    [Fact]
    public async Task An_attacker_locks_only_their_own_address_and_the_owner_signs_in_from_a_clean_one()
    {
        await using var host = SourceAddressClients.StartKestrel(fx);
        var attacker = SourceAddressClients.From(host, "127.0.0.2");
        var owner = SourceAddressClients.From(host, "127.0.0.3");
        var email = NewEmail("lockout");
        await SignUpAsync(owner, email);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++) statuses.Add((await SignInAsync(attacker, email, "guess number " + i)).Status);
        // The default budget: five wrong passwords per address and account, then 429 for the rest of the window.
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 7)), statuses);
        var locked = await SignInAsync(attacker, email, Password);
        Assert.Equal((HttpStatusCode.TooManyRequests, "too-many-requests"), (locked.Status, locked.Error));
        Assert.InRange(int.Parse(locked.Response.Headers.GetValues("Retry-After").Single()), 1, 15 * 60);

        // The owner, from another address, with the right password: in.
        var session = (await SignInAsync(owner, email, Password)).Ok()["session"]!;
        Assert.Equal(email, session["user"]!["email"]!.GetValue<string>());
        // The attacker's address stays locked, also for other accounts' passwords? No: only this pair is.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(attacker, email, Password)).Status);
        var other = NewEmail("lockout-other");
        await SignUpAsync(owner, other);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(attacker, other, Password)).Status);
    }

    [Fact]
    public async Task Right_passwords_do_not_use_up_the_budget()
    {
        await using var host = SourceAddressClients.StartKestrel(fx, ("PEREGRINE_AUTH_SIGNIN_PER_ADDRESS_ACCOUNT", "2"));
        var client = SourceAddressClients.From(host, "127.0.0.4");
        var email = NewEmail("owner-often");
        await SignUpAsync(client, email);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(client, email, "typo")).Status);
        for (var i = 0; i < 6; i++) Assert.Equal(HttpStatusCode.OK, (await SignInAsync(client, email, Password)).Status);
        // Only wrong passwords count: the second one uses up the budget of two.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(client, email, "typo")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(client, email, Password)).Status);
    }

    [Fact]
    public async Task Guesses_spread_over_addresses_meet_the_slower_account_ceiling_and_refused_ones_do_not_count()
    {
        await using var host = SourceAddressClients.StartKestrel(fx,
            ("PEREGRINE_AUTH_SIGNIN_PER_ADDRESS_ACCOUNT", "3"), ("PEREGRINE_AUTH_SIGNIN_PER_ACCOUNT", "6"));
        var email = NewEmail("ceiling");
        var owner = SourceAddressClients.From(host, "127.0.0.5");
        await SignUpAsync(owner, email);

        var first = SourceAddressClients.From(host, "127.0.0.6");
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(first, email, "x" + i)).Status);
        // Refused guesses from the locked address are not counted against the account: 3 + 5 would pass its 6.
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(first, email, "y" + i)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(owner, email, Password)).Status);

        var second = SourceAddressClients.From(host, "127.0.0.7");
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(second, email, "z" + i)).Status);
        // Six wrong passwords from all addresses together: the account's ceiling now holds everyone off for a while.
        var held = await SignInAsync(owner, email, Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, held.Status);
        Assert.InRange(int.Parse(held.Response.Headers.GetValues("Retry-After").Single()), 15 * 60, 60 * 60);
    }

    [Fact]
    public async Task X_forwarded_for_is_believed_only_from_a_trusted_proxy()
    {
        var email = NewEmail("proxy");
        // No trusted proxies: a client naming a fresh address in the header for every guess is still one address.
        await using (var direct = SourceAddressClients.StartKestrel(fx))
        {
            var attacker = SourceAddressClients.From(direct, "127.0.0.8");
            await SignUpAsync(SourceAddressClients.From(direct, "127.0.0.9"), email);
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 8; i++) statuses.Add((await SignInAsync(attacker, email, "guess", forwardedFor: $"198.51.100.{i + 1}")).Status);
            Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
            Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        }

        // Behind a trusted proxy (127.0.0.10), the address it forwards is the client's.
        await using var proxied = SourceAddressClients.StartKestrel(fx, ("PEREGRINE_TRUSTED_PROXIES", "127.0.0.10, 10.0.0.0/8"));
        var proxy = SourceAddressClients.From(proxied, "127.0.0.10");
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(proxy, email, "guess", forwardedFor: "203.0.113.7, 10.1.2.3")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(proxy, email, Password, forwardedFor: "203.0.113.7")).Status);
        // Another client behind the same proxy is not locked.
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(proxy, email, Password, forwardedFor: "203.0.113.8")).Status);
        // A peer that is not a trusted proxy cannot borrow that clean address by writing the header itself.
        var stranger = SourceAddressClients.From(proxied, "127.0.0.11");
        for (var i = 0; i < 5; i++) await SignInAsync(stranger, email, "guess", forwardedFor: "203.0.113.9");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(stranger, email, Password, forwardedFor: "203.0.113.9")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(proxy, email, Password, forwardedFor: "203.0.113.9")).Status);
    }
}

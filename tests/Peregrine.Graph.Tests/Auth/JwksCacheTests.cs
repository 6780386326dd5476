using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Auth.Jwt;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>
/// A <c>jwk_url</c> served by a real local HTTP server (Kestrel on a free port) that counts its requests,
/// can be slowed down, can fail, and can rotate its key: requests never wait behind a refresh once a set
/// is held, the set is fetched again when its Cache-Control max-age runs out, and a token signed by a key
/// the set does not hold yet fetches it early.
/// </summary>
public sealed class JwksCacheTests : IAsyncLifetime
{
    private WebApplication _server = null!;
    private readonly List<RsaSecurityKey> _published = [];
    private volatile string _cacheControl = "max-age=3600";
    private volatile int _delayMs;
    private volatile bool _failing;
    private int _requests;
    private string _url = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapGet("/jwks.json", async (HttpContext http) =>
        {
            Interlocked.Increment(ref _requests);
            if (_delayMs > 0) await Task.Delay(_delayMs);
            if (_failing) { http.Response.StatusCode = 500; return; }
            http.Response.Headers.CacheControl = _cacheControl;
            var set = new JsonWebKeySet();
            lock (_published)
                foreach (var k in _published) set.Keys.Add(JsonWebKeyConverter.ConvertFromRSASecurityKey(k));
            await http.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new
            {
                keys = set.Keys.Select(k => new { kty = k.Kty, kid = k.Kid, n = k.N, e = k.E, alg = "RS256", use = "sig" }),
            }));
        });
        await _server.StartAsync();
        var address = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _url = address + "/jwks.json";
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private RsaSecurityKey Publish(string kid)
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = kid };
        lock (_published) _published.Add(key);
        return key;
    }

    private (SessionResolver Resolver, JwksCache Jwks) Consumer()
    {
        JwksCache? cache = null;
        var options = new PeregrineOptions { DatabaseConnectionString = "Host=unused", JwtSecret = $$"""{"jwk_url":"{{_url}}"}""" };
        var jwt = new JwtContext(options, u => cache = new JwksCache(u, new HttpClient()));
        return (new SessionResolver(options, jwt), cache!);
    }

    private static HeaderDictionary Bearer(string token) => new() { ["Authorization"] = "Bearer " + token };

    private static string Token(RsaSecurityKey key) => TestTokens.Sign(TestTokens.Payload(), key, SecurityAlgorithms.RsaSha256);

    [Fact]
    public async Task The_first_request_waits_for_the_set_then_every_request_is_served_from_memory()
    {
        var key = Publish("k1");
        var (resolver, jwks) = Consumer();
        var token = Token(key);
        var sessions = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => resolver.ResolveAsync(Bearer(token), default).AsTask()));
        Assert.All(sessions, s => Assert.Equal("user", s.Role));
        Assert.Equal(1, _requests); // fifty concurrent first requests shared one fetch
        for (var i = 0; i < 20; i++) await resolver.ResolveAsync(Bearer(token), default);
        Assert.Equal(1, _requests);
        Assert.Equal(1, jwks.Fetches);
    }

    [Fact]
    public async Task A_slow_or_failing_endpoint_never_holds_up_requests_once_a_set_is_held()
    {
        var key = Publish("k1");
        _cacheControl = "max-age=1";
        var (resolver, jwks) = Consumer();
        using var stop = new CancellationTokenSource();
        var loop = jwks.RunAsync(stop.Token);
        try
        {
            var token = Token(key);
            await resolver.ResolveAsync(Bearer(token), default);
            // From now on every fetch takes 3 s, then fails: the set expired a second in.
            _delayMs = 3000;
            _failing = true;
            await Task.Delay(1500);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 20; i++) Assert.Equal("user", (await resolver.ResolveAsync(Bearer(token), default)).Role);
            Assert.True(clock.ElapsedMilliseconds < 1000, $"20 requests took {clock.ElapsedMilliseconds} ms behind a slow refresh");
            // The synchronous path (no await at all) answers from the last good set too.
            Assert.Equal("user", resolver.Resolve(Bearer(token)).Role);
            // And the refresh really was under way in the background meanwhile.
            await WaitUntil(() => _requests >= 2, TimeSpan.FromSeconds(10));
        }
        finally
        {
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        }
    }

    [Fact]
    public async Task Max_age_decides_when_the_background_refresh_fetches_again()
    {
        Publish("k1");
        _cacheControl = "public, max-age=2";
        var (_, jwks) = Consumer();
        using var stop = new CancellationTokenSource();
        var loop = jwks.RunAsync(stop.Token);
        try
        {
            await WaitUntil(() => jwks.Keys.Count == 1, TimeSpan.FromSeconds(10));
            var expires = jwks.Expires!.Value - DateTimeOffset.UtcNow;
            Assert.InRange(expires.TotalSeconds, 0.5, 2.01);
            // Fetched again about every two seconds: after ~5 s, 2 to 4 fetches in all (not one, not dozens).
            await Task.Delay(5000);
            Assert.InRange(_requests, 2, 4);

            // A long max-age: no further fetch.
            _cacheControl = "max-age=3600";
            await WaitUntil(() => jwks.Expires > DateTimeOffset.UtcNow.AddMinutes(30), TimeSpan.FromSeconds(10));
            var settled = _requests;
            await Task.Delay(3000);
            Assert.Equal(settled, _requests);
        }
        finally
        {
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        }
    }

    [Fact]
    public async Task A_token_signed_by_a_rotated_in_key_fetches_the_set_early_and_verifies()
    {
        var old = Publish("old");
        var (resolver, _) = Consumer();
        Assert.Equal("user", (await resolver.ResolveAsync(Bearer(Token(old)), default)).Role);
        Assert.Equal(1, _requests);

        var rotated = Publish("new");
        Assert.Equal("user", (await resolver.ResolveAsync(Bearer(Token(rotated)), default)).Role);
        Assert.Equal(2, _requests);

        // A forged kid cannot make every request fetch: at most one early fetch per ten seconds.
        var stranger = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "stranger" };
        for (var i = 0; i < 5; i++)
            await Assert.ThrowsAsync<InvalidJwtError>(async () => await resolver.ResolveAsync(Bearer(Token(stranger)), default));
        Assert.Equal(2, _requests);
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(50);
        }
    }
}

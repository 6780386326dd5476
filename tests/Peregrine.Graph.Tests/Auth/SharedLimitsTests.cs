using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Auth.RateLimiting;
using Peregrine.Graph.Tests.Infrastructure;
using StackExchange.Redis;
using static Peregrine.Graph.Tests.Auth.AuthHttp;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>
/// Two server instances against the real Redis grant ONE budget between them (sign-in per address,
/// mutations per user per second), where two instances without Redis grant two; and when Redis goes away
/// the limits fall back to each instance's own counters instead of failing requests.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class SharedLimitsTests(PeregrineFixture fx)
{
    private static string RedisUrl => Environment.GetEnvironmentVariable("PEREGRINE_REDIS_URL")
        ?? throw new InvalidOperationException("PEREGRINE_REDIS_URL is not set: run the tests through ./peregrine test");

    [Theory]
    [InlineData(true, 6)]    // shared: six between the two instances
    [InlineData(false, 12)]  // per process: six each, the N× this fixes
    public async Task The_per_address_sign_in_budget_is_one_budget_across_two_instances(bool redis, int expectedAnswered)
    {
        (string, string)[] settings = [("PEREGRINE_AUTH_SIGNIN_PER_IP_PER_MINUTE", "6"), ("PEREGRINE_REDIS_URL", redis ? RedisUrl : "")];
        await using var first = SourceAddressClients.StartKestrel(fx, settings);
        await using var second = SourceAddressClients.StartKestrel(fx, settings);
        var source = redis ? "127.0.0.20" : "127.0.0.21";
        HttpClient[] clients = [SourceAddressClients.From(first, source), SourceAddressClients.From(second, source)];

        var answered = 0;
        for (var i = 0; i < 16; i++)
        {
            var reply = await PostAsync(clients[i % 2], "/signin/email-password", new { email = NewEmail("nobody"), password = Password });
            if (reply.Status != HttpStatusCode.TooManyRequests) answered++;
        }
        Assert.Equal(expectedAnswered, answered);
    }

    [Theory]
    [InlineData(true, 4)]
    [InlineData(false, 8)]
    public async Task Mutations_per_second_are_one_budget_across_two_instances(bool redis, int expectedAnswered)
    {
        WebApplicationFactory<Program> Host() => fx.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("PEREGRINE_MUTATIONS_PER_SECOND", "4");
            b.UseSetting("PEREGRINE_REDIS_URL", redis ? RedisUrl : "");
        });
        await using var first = Host();
        await using var second = Host();
        HttpClient[] clients = [first.CreateClient(), second.CreateClient()];

        // A one-second window starts at a user's first mutation; a try that takes longer than that says nothing,
        // so a loaded machine gets a few tries (each with a fresh user, whose budget is untouched).
        for (var attempt = 0; ; attempt++)
        {
            var token = TestTokens.Sign(TestTokens.Payload(TestTokens.HasuraClaims(userId: Guid.NewGuid().ToString())));
            foreach (var c in clients) c.DefaultRequestHeaders.Authorization = new("Bearer", token);
            await Task.WhenAll(clients.Select(c => c.GetAsync("/healthz")));  // connections warm before the clock starts
            var clock = Stopwatch.StartNew();
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 12; i++)
            {
                var body = JsonSerializer.Serialize(new { query = $"mutation {{ delete_phenom_reports(where: {{id: {{_eq: \"{Guid.NewGuid()}\"}}}}) {{ affected_rows }} }}" });
                using var response = await clients[i % 2].PostAsync("/v1/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
                statuses.Add(response.StatusCode);
            }
            if (clock.Elapsed > TimeSpan.FromMilliseconds(900) && attempt < 4) continue;
            Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(900), $"12 mutations took {clock.ElapsedMilliseconds} ms on every try");
            Assert.Equal(expectedAnswered, statuses.Count(s => s == HttpStatusCode.OK));
            Assert.Equal(12 - expectedAnswered, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
            return;
        }
    }

    [Fact]
    public async Task When_redis_goes_away_the_limits_fall_back_to_the_instance_and_come_back_when_it_returns()
    {
        var port = FreePort();
        var url = $"redis://127.0.0.1:{port}";
        using var redis = StartRedis(port);
        var prefix = "peregrine:limits:{fallback-test-" + Guid.NewGuid().ToString("N") + "}:";
        await using var counter = new RedisAttemptCounter(url, prefix, new InProcessAttemptCounter(TimeProvider.System), NullLogger<RedisAttemptCounter>.Instance);
        await counter.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => counter.IsShared, TimeSpan.FromSeconds(10));

        AttemptBudget[] shared = [new("k1", 2, TimeSpan.FromMinutes(1))];
        Assert.True((await counter.TryTakeAsync(shared, default)).Allowed);
        Assert.True((await counter.TryTakeAsync(shared, default)).Allowed);
        var refused = await counter.TryTakeAsync(shared, default);
        Assert.False(refused.Allowed);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
        // The count is in Redis itself, where another instance would read it.
        await using (var direct = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}"))
            Assert.Equal(2, (int)await direct.GetDatabase().StringGetAsync(prefix + "k1"));

        redis.Kill(entireProcessTree: true);
        await redis.WaitForExitAsync();
        // Redis is gone: decisions still come, quickly, from this instance's counters, and still limit.
        AttemptBudget[] local = [new("k2", 1, TimeSpan.FromMinutes(1))];
        var clock = Stopwatch.StartNew();
        Assert.True((await counter.TryTakeAsync(local, default)).Allowed);
        Assert.False((await counter.TryTakeAsync(local, default)).Allowed);
        await counter.RefundAsync(local, default);
        Assert.True((await counter.TryTakeAsync(local, default)).Allowed);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");

        using var restarted = StartRedis(port);
        await WaitUntilAsync(() => counter.IsShared, TimeSpan.FromSeconds(30));
        AttemptBudget[] back = [new("k3", 5, TimeSpan.FromMinutes(1))];
        Assert.True((await counter.TryTakeAsync(back, default)).Allowed);
        await using (var direct = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}"))
            Assert.Equal(1, (int)await direct.GetDatabase().StringGetAsync(prefix + "k3"));
        restarted.Kill(entireProcessTree: true);
    }

    [Fact]
    public void Each_database_has_its_own_key_space()
    {
        var a = AuthServices.LimitKeyPrefix("Host=db1;Port=5432;Database=one");
        Assert.NotEqual(a, AuthServices.LimitKeyPrefix("Host=db1;Port=5432;Database=two"));
        Assert.Matches(@"^peregrine:limits:\{[^{}]+\}:$", a);  // one hash tag: a cluster keeps a script's keys on one slot
    }

    private static Process StartRedis(int port)
    {
        var psi = new ProcessStartInfo("redis-server", ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        return p;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, $"not reached within {timeout}");
            await Task.Delay(50);
        }
    }
}

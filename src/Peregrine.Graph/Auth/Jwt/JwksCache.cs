using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;

namespace Peregrine.Graph.Auth.Jwt;

/// <summary>
/// The keys served at <c>jwk_url</c>. Requests never fetch and never wait on a lock: they read the last
/// good set from memory. <see cref="RunAsync"/> (owned by the host) fetches the set at start and again
/// when the response's <c>Cache-Control: max-age</c> (or <c>s-maxage</c>, or <c>Expires</c>) runs out, else
/// every minute, as Hasura does; a failed fetch keeps the last good set and is retried. Only two cases
/// wait, asynchronously, for a fetch in flight: no set has been fetched yet, or a token names a key id
/// the set does not hold (key rotation; at most one such early fetch every ten seconds).
/// </summary>
public sealed class JwksCache(Uri url, HttpClient http, ILogger? logger = null)
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinSleep = TimeSpan.FromSeconds(1);
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly Lock _lock = new();
    private volatile KeySet? _current;
    private Task<KeySet?>? _inFlight;
    private DateTimeOffset _lastEarlyFetch = DateTimeOffset.MinValue;

    public Uri Url => url;

    /// <summary>The last good key set; empty before the first fetch succeeded. Never blocks.</summary>
    public IReadOnlyList<SecurityKey> Keys => _current?.Keys ?? [];

    /// <summary>When the current set should be fetched again (from its response's cache headers).</summary>
    public DateTimeOffset? Expires => _current?.Expires;

    /// <summary>Fetches served so far (successful or not), for tests and metrics.</summary>
    public int Fetches => Volatile.Read(ref _fetches);
    private int _fetches;

    /// <summary>
    /// Waits, without blocking a thread, until the set can verify a token with key id <paramref name="kid"/>:
    /// returns at once when a set is held and knows the kid (or the kid is not given, or was asked for recently).
    /// </summary>
    public async ValueTask EnsureAsync(string? kid, CancellationToken ct)
    {
        var current = _current;
        if (current is not null && (kid is null || current.Keys.Any(k => k.KeyId == kid))) return;
        Task<KeySet?> fetch;
        lock (_lock)
        {
            if (current is not null && _inFlight is null)
            {
                // Unknown kid: one early fetch per interval, so forged kids cannot make every request fetch.
                var now = DateTimeOffset.UtcNow;
                if (now - _lastEarlyFetch < MinRefreshInterval) return;
                _lastEarlyFetch = now;
            }
            fetch = StartFetch();
        }
        await fetch.WaitAsync(ct);
    }

    /// <summary>Refreshes the set for the life of the host; <paramref name="stoppingToken"/> ends it.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // An early fetch (unknown kid) may have replaced the set meanwhile: its expiry counts.
            if (_current is { } held && held.Expires > DateTimeOffset.UtcNow)
            {
                await Task.Delay(Max(held.Expires - DateTimeOffset.UtcNow, MinSleep), stoppingToken);
                continue;
            }
            Task<KeySet?> fetch;
            lock (_lock) fetch = StartFetch();
            var set = await fetch.WaitAsync(stoppingToken);
            // max-age=0 must not become a busy loop.
            await Task.Delay(set is null ? RetryDelay : Max(set.Expires - DateTimeOffset.UtcNow, MinSleep), stoppingToken);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // Under _lock: joins the fetch in flight or starts one.
    private Task<KeySet?> StartFetch()
    {
        if (_inFlight is { } running) return running;
        var task = FetchAsync();
        _inFlight = task;
        _ = task.ContinueWith(_ => { lock (_lock) _inFlight = null; }, TaskScheduler.Default);
        return task;
    }

    private async Task<KeySet?> FetchAsync()
    {
        await Task.Yield();
        Interlocked.Increment(ref _fetches);
        try
        {
            using var cts = new CancellationTokenSource(FetchTimeout);
            using var response = await http.GetAsync(url, cts.Token);
            response.EnsureSuccessStatusCode();
            var set = new JsonWebKeySet(await response.Content.ReadAsStringAsync(cts.Token));
            var keys = new KeySet(set.GetSigningKeys().ToList(), DateTimeOffset.UtcNow + Lifetime(response));
            _current = keys;
            return keys;
        }
        catch (Exception e)
        {
            // Keep serving the last good set.
            _logger.LogWarning("could not fetch the JWKS at {Url}: {Message}", url, e.Message);
            return null;
        }
    }

    private static TimeSpan Lifetime(HttpResponseMessage response)
    {
        CacheControlHeaderValue? cc = response.Headers.CacheControl;
        if (cc?.SharedMaxAge is { } shared) return shared;
        if (cc?.MaxAge is { } maxAge) return maxAge;
        if (response.Content.Headers.Expires is { } expires && expires > DateTimeOffset.UtcNow) return expires - DateTimeOffset.UtcNow;
        return DefaultLifetime;
    }

    private sealed record KeySet(IReadOnlyList<SecurityKey> Keys, DateTimeOffset Expires);
}

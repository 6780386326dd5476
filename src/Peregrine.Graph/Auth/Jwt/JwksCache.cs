using System.Net.Http.Headers;
using Microsoft.IdentityModel.Tokens;

namespace Peregrine.Graph.Auth.Jwt;

/// <summary>
/// The keys served at <c>jwk_url</c>, kept for the response's <c>Cache-Control: max-age</c> (or its
/// <c>Expires</c>), else for a minute, as Hasura does. A token signed by a key not yet known forces one
/// early refresh (key rotation), at most every ten seconds.
/// </summary>
public sealed class JwksCache(Uri url, HttpClient http)
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(10);
    private readonly Lock _lock = new();
    private IReadOnlyList<SecurityKey> _keys = [];
    private DateTimeOffset _expires = DateTimeOffset.MinValue;
    private DateTimeOffset _fetched = DateTimeOffset.MinValue;

    public IReadOnlyList<SecurityKey> GetKeys(bool refresh = false)
    {
        var now = DateTimeOffset.UtcNow;
        if (now < _expires && !(refresh && now - _fetched > MinRefreshInterval)) return _keys;
        lock (_lock)
        {
            if (now < _expires && !(refresh && now - _fetched > MinRefreshInterval)) return _keys;
            try
            {
                // Session resolution is synchronous; this blocks only when the cached set has expired.
                (_keys, var lifetime) = FetchAsync().GetAwaiter().GetResult();
                _fetched = now;
                _expires = now + lifetime;
            }
            catch (Exception) when (_keys.Count > 0)
            {
                // Keep serving the last good set; try again in a minute.
                _expires = now + DefaultLifetime;
            }
            return _keys;
        }
    }

    private async Task<(IReadOnlyList<SecurityKey>, TimeSpan)> FetchAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = await http.GetAsync(url, cts.Token);
        response.EnsureSuccessStatusCode();
        var set = new JsonWebKeySet(await response.Content.ReadAsStringAsync(cts.Token));
        return (set.GetSigningKeys().ToList(), Lifetime(response));
    }

    private static TimeSpan Lifetime(HttpResponseMessage response)
    {
        CacheControlHeaderValue? cc = response.Headers.CacheControl;
        if (cc?.SharedMaxAge is { } shared) return shared;
        if (cc?.MaxAge is { } maxAge) return maxAge;
        if (response.Content.Headers.Expires is { } expires && expires > DateTimeOffset.UtcNow) return expires - DateTimeOffset.UtcNow;
        return DefaultLifetime;
    }
}

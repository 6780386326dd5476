using Microsoft.Extensions.Configuration;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Hosting.Browser;

/// <summary>
/// Which browser origins may call the API, as Hasura's <c>HASURA_GRAPHQL_CORS_DOMAIN</c> says it
/// (read as <c>PEREGRINE_CORS_DOMAIN</c> first): <c>*</c> for any origin, or a comma list of origins with
/// scheme and optional port, where <c>https://*.example.com</c> stands for every subdomain of example.com
/// (not example.com itself; ports match exactly). Unset, it is <c>*</c> in development and no origin
/// otherwise. Credentialed requests (cookies) are allowed only for listed origins, never under <c>*</c>.
/// </summary>
public sealed class CorsPolicy
{
    private readonly HashSet<string> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Scheme, string HostSuffix, int Port)> _wildcards = [];

    public bool AllowsAny { get; private init; }

    public static CorsPolicy FromConfiguration(IConfiguration config, bool isDevelopment)
    {
        var text = NonEmpty(config["PEREGRINE_CORS_DOMAIN"]) ?? NonEmpty(config["HASURA_GRAPHQL_CORS_DOMAIN"]);
        return Parse(text ?? (isDevelopment ? "*" : ""));
    }

    public static CorsPolicy Parse(string text)
    {
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Contains("*")) return new CorsPolicy { AllowsAny = true };
        var policy = new CorsPolicy();
        foreach (var item in items)
        {
            var origin = item.TrimEnd('/');
            var scheme = origin.IndexOf("://", StringComparison.Ordinal);
            if (scheme <= 0)
                throw new InvalidSettingException("PEREGRINE_CORS_DOMAIN", text,
                    $"\"{item}\" is not an origin; expected * or a comma list of scheme://host[:port], e.g. https://app.example.com or https://*.example.com");
            var rest = origin[(scheme + 3)..];
            if (rest.StartsWith("*.", StringComparison.Ordinal))
            {
                var (host, port) = SplitPort(origin[..scheme], rest[1..]);
                policy._wildcards.Add((origin[..scheme].ToLowerInvariant(), host.ToLowerInvariant(), port));
            }
            else policy._exact.Add(origin);
        }
        return policy;
    }

    /// <summary>What to answer an <c>Origin</c>: allowed or not, and whether credentials may go with it.</summary>
    public (bool Allowed, bool Credentials) Check(string origin)
    {
        if (_exact.Contains(origin.TrimEnd('/')) || MatchesWildcard(origin)) return (true, true);
        return (AllowsAny, false);
    }

    private bool MatchesWildcard(string origin)
    {
        if (_wildcards.Count == 0 || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/") return false;
        var port = uri.IsDefaultPort ? -1 : uri.Port;
        foreach (var (scheme, suffix, wantPort) in _wildcards)
        {
            var host = uri.Host.ToLowerInvariant();
            if (uri.Scheme == scheme && port == wantPort && host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>".example.com:8080" → (".example.com", 8080); no port (or the scheme's default) → -1.</summary>
    private static (string Host, int Port) SplitPort(string scheme, string hostAndPort)
    {
        var colon = hostAndPort.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(hostAndPort.AsSpan(colon + 1), out var port)) return (hostAndPort, -1);
        var isDefault = (scheme.Equals("https", StringComparison.OrdinalIgnoreCase) && port == 443)
            || (scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && port == 80);
        return (hostAndPort[..colon], isDefault ? -1 : port);
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

using Microsoft.Extensions.Configuration;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Rest;

/// <summary>PEREGRINE_REST_ENDPOINTS_FILE: the endpoints file; the one shipped beside the server by default.</summary>
public sealed record RestOptions(string EndpointsFile)
{
    public static RestOptions FromConfiguration(IConfiguration config) =>
        new(new SettingsReader(config).String(RestEndpointsFile.Setting) ?? Path.Combine(AppContext.BaseDirectory, "Operations", "rest-endpoints.json"));
}

/// <summary>The endpoints, loaded and checked once (at start-up through <c>StartupCheck</c>).</summary>
public sealed class RestEndpoints(RestOptions options)
{
    public IReadOnlyList<RestEndpoint> All { get; } = RestEndpointsFile.Load(options.EndpointsFile);

    /// <summary>The most specific endpoint whose url matches <paramref name="segments"/>, whatever its methods, and the values of its <c>:variables</c>.</summary>
    public (RestEndpoint? Endpoint, List<RestEndpoint> SameUrl) Match(string[] segments)
    {
        var matching = All.Where(e => Matches(e, segments)).ToList();
        return (matching.OrderByDescending(e => e.Literals).FirstOrDefault(), matching);
    }

    private static bool Matches(RestEndpoint e, string[] segments)
    {
        if (e.Segments.Count != segments.Length) return false;
        for (var i = 0; i < segments.Length; i++)
            if (e.Segments[i].Variable is null && !string.Equals(e.Segments[i].Text, segments[i], StringComparison.Ordinal)) return false;
        return true;
    }
}

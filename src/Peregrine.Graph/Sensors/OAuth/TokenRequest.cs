using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Peregrine.Graph.Sensors.OAuth;

/// <summary>
/// A client-credentials token request read from its form body and <c>Authorization: Basic</c> header, bounded
/// before parsing: RFC 6749 §4.4.2 (<c>grant_type</c>), §2.3.1 (client id and secret form-encoded inside Basic,
/// or as body parameters; never both), §3.2 (no parameter twice).
/// </summary>
public sealed record TokenRequest(string GrantType, string? ClientId, string? ClientSecret, bool UsedBasic)
{
    public const int MaxBodyBytes = 4096;

    public static async Task<TokenRequest> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var basic = ReadBasic(request.Headers.Authorization.FirstOrDefault());
        if (request.ContentLength > MaxBodyBytes) throw OAuthError.InvalidRequest($"the request body is larger than {MaxBodyBytes} bytes");
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            throw OAuthError.InvalidRequest("the body must be application/x-www-form-urlencoded");

        var body = await ReadBoundedAsync(request.Body, ct);
        Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form;
        try { form = QueryHelpers.ParseQuery(body); }
        catch (Exception e) when (e is FormatException or ArgumentException) { throw OAuthError.InvalidRequest("the body is not a valid form"); }
        foreach (var (name, values) in form)
            if (values.Count > 1) throw OAuthError.InvalidRequest($"parameter '{name}' is given more than once");

        string? Param(string name) => form.TryGetValue(name, out var v) && v.Count == 1 && v[0] is { Length: > 0 } s ? s : null;
        var grant = Param("grant_type") ?? throw OAuthError.InvalidRequest("grant_type is required");
        var (bodyId, bodySecret) = (Param("client_id"), Param("client_secret"));
        if (basic is not null && bodySecret is not null)
            throw OAuthError.InvalidRequest("use one client authentication method: HTTP Basic or client_secret in the body, not both");
        if (basic is { } b && bodyId is not null && bodyId != b.Id)
            throw OAuthError.InvalidRequest("client_id in the body differs from the one in the Authorization header");
        return basic is { } c
            ? new TokenRequest(grant, c.Id, c.Secret, true)
            : new TokenRequest(grant, bodyId, bodySecret, false);
    }

    private static (string Id, string Secret)? ReadBasic(string? header)
    {
        if (header is null) return null;
        var parts = header.Split(' ', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !parts[0].Equals("Basic", StringComparison.OrdinalIgnoreCase))
            throw new OAuthError(401, "invalid_client", "only HTTP Basic client authentication is accepted here") { Challenge = true };
        if (parts[1].Length > 4 * DeviceCredentialLimits.MaxEncodedBasic) throw OAuthError.InvalidClient(basic: true);
        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parts[1])); }
        catch (FormatException) { throw OAuthError.InvalidClient(basic: true); }
        var colon = decoded.IndexOf(':');
        if (colon <= 0) throw OAuthError.InvalidClient(basic: true);
        // §2.3.1: each half is form-encoded before Base64.
        return (Uri.UnescapeDataString(decoded[..colon].Replace('+', ' ')), Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' ')));
    }

    private static async Task<string> ReadBoundedAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[MaxBodyBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await body.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0) break;
            read += n;
        }
        if (read > MaxBodyBytes) throw OAuthError.InvalidRequest($"the request body is larger than {MaxBodyBytes} bytes");
        try { return new UTF8Encoding(false, true).GetString(buffer, 0, read); }
        catch (DecoderFallbackException) { throw OAuthError.InvalidRequest("the body is not UTF-8"); }
    }
}

internal static class DeviceCredentialLimits
{
    /// <summary>Bytes of a Basic header's decoded <c>id:secret</c> worth reading (ours are under 80).</summary>
    public const int MaxEncodedBasic = 256;
}

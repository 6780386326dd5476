using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Peregrine.Graph.Auth.Jwt;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Auth;

/// <summary>
/// Turns request headers into a <see cref="Session"/>, in Hasura's order: a correct
/// <c>x-hasura-admin-secret</c> gives admin (its <c>x-hasura-role</c> and other <c>x-hasura-*</c> headers then
/// act as the session); else, in JWT mode, <c>Authorization: Bearer</c> is verified and its claims give the
/// role (<c>x-hasura-role</c> picks one of the allowed roles) and variables; with no credentials, the
/// unauthorized role if one is configured. With neither an admin secret nor a JWT secret configured,
/// every request is admin, as in Hasura.
/// </summary>
public sealed class SessionResolver
{
    private const string RoleHeader = "x-hasura-role";
    private readonly PeregrineOptions _options;
    private readonly JwtContext _jwt;

    public SessionResolver(PeregrineOptions options) : this(options, new JwtContext(options)) { }

    public SessionResolver(PeregrineOptions options, JwtContext jwt)
    {
        _options = options;
        _jwt = jwt;
    }

    public Session Resolve(IHeaderDictionary headers) => ResolveWithExpiry(headers).Session;

    public async ValueTask<Session> ResolveAsync(IHeaderDictionary headers, CancellationToken ct) =>
        (await ResolveWithExpiryAsync(headers, ct)).Session;

    /// <summary>
    /// As <see cref="ResolveWithExpiry"/>, first waiting without blocking for a <c>jwk_url</c>'s key set when
    /// the token needs one not held yet; with a configured key this completes synchronously.
    /// </summary>
    public async ValueTask<(Session Session, DateTimeOffset? ExpiresAt)> ResolveWithExpiryAsync(IHeaderDictionary headers, CancellationToken ct)
    {
        await PrepareAsync(headers, ct);
        return ResolveWithExpiry(headers);
    }

    /// <summary>Fetches what resolving these headers will need (a <c>jwk_url</c>'s key set), so that resolving them does not wait.</summary>
    public ValueTask PrepareAsync(IHeaderDictionary headers, CancellationToken ct) =>
        _jwt.Verifier is { Keys.Jwks: not null } verifier && First(headers, "authorization") is { } authorization
            && authorization.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is [var scheme, var token]
            && scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            ? verifier.PrepareAsync(token, ct)
            : ValueTask.CompletedTask;

    /// <summary>
    /// The session and, for a JWT session, when its token expires (Hasura closes a websocket at that moment;
    /// null for admin and unauthorized sessions, and for tokens without <c>exp</c>).
    /// </summary>
    public (Session Session, DateTimeOffset? ExpiresAt) ResolveWithExpiry(IHeaderDictionary headers)
    {
        var secret = _options.AdminSecret;
        if (secret is null && _jwt.Verifier is null) return (FromHeaders(headers, Session.AdminRole), null);

        var sent = First(headers, "x-hasura-admin-secret") ?? First(headers, "x-hasura-access-key");
        if (sent is not null)
        {
            if (secret is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(secret)))
                throw new AccessDeniedError("invalid x-hasura-admin-secret/x-hasura-access-key");
            return (FromHeaders(headers, Session.AdminRole), null);
        }

        if (_jwt.Verifier is { } verifier)
        {
            var authorization = First(headers, "authorization");
            if (authorization is not null) return FromJwt(verifier, authorization, headers);
            if (_options.UnauthorizedRole is { } anonymous) return (FromHeaders(headers, anonymous, roleFromHeader: false), null);
            // Hasura answers this with invalid-headers; the issue (and clients written against it) say access-denied.
            throw new AccessDeniedError("Missing 'Authorization' or 'Cookie' header in JWT authentication mode");
        }

        if (_options.UnauthorizedRole is { } unauthorized) return (FromHeaders(headers, unauthorized, roleFromHeader: false), null);
        throw new AccessDeniedError("x-hasura-admin-secret/x-hasura-access-key required, but not found");
    }

    private static (Session, DateTimeOffset?) FromJwt(JwtVerifier verifier, string authorization, IHeaderDictionary headers)
    {
        var parts = authorization.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            throw new InvalidHeadersError("Malformed Authorization header");

        var payload = verifier.Verify(parts[1]);
        var claims = HasuraClaims.Read(payload, verifier.Keys.Settings);
        var role = First(headers, RoleHeader) ?? claims.DefaultRole;
        if (!claims.AllowedRoles.Contains(role, StringComparer.Ordinal))
            throw new AccessDeniedError("Your requested role is not in allowed roles");

        var variables = new Dictionary<string, string>(claims.Variables, StringComparer.Ordinal) { [RoleHeader] = role };
        DateTimeOffset? expires = payload.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        return (new Session(role, variables), expires);
    }

    /// <summary>A session whose variables are the request's <c>x-hasura-*</c> headers (admin and unauthorized role).</summary>
    private static Session FromHeaders(IHeaderDictionary headers, string defaultRole, bool roleFromHeader = true)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in headers)
        {
            if (!name.StartsWith("x-hasura-", StringComparison.OrdinalIgnoreCase)) continue;
            var key = name.ToLowerInvariant();
            if (key is "x-hasura-admin-secret" or "x-hasura-access-key") continue;
            if (values.FirstOrDefault() is { } value) variables[key] = value;
        }
        var role = roleFromHeader && variables.TryGetValue(RoleHeader, out var asked) && asked.Length > 0 ? asked : defaultRole;
        if (role == Session.AdminRole && variables.Count == 0) return Session.Admin;
        variables[RoleHeader] = role;
        return new Session(role, variables);
    }

    private static string? First(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.FirstOrDefault() is { Length: > 0 } v ? v : null;
}

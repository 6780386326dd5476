using Microsoft.AspNetCore.Http;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Auth.RateLimiting;
using Peregrine.Graph.Auth.Sessions;
using Peregrine.Graph.Sensors.Devices;

namespace Peregrine.Graph.Sensors.OAuth;

/// <summary>
/// <c>POST /oauth/token</c>: RFC 6749 §4.4 client credentials for devices. A live (unrevoked) credential whose
/// secret matches its stored hash gets a one-hour JWT signed with Peregrine's key, role <c>device</c> and
/// <c>x-hasura-device-id</c>, which the GraphQL session resolver and the sensors write endpoint accept as any
/// other token. Limited like sign-in: every request counts against its address, wrong secrets against the
/// address and client id (a right one is given back).
/// </summary>
public static class TokenEndpoint
{
    public const string Route = "/oauth/token";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public static async Task<IResult> HandleAsync(HttpContext http, DeviceCredentialStore store, AccessTokenIssuer issuer,
        SignInRateLimiter limiter, AuthOptions options)
    {
        // RFC 6749 §5.1/§5.2: no cache may keep a token answer, or an error about one.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        var ct = http.RequestAborted;
        try
        {
            var address = ClientAddress.Of(http, options.TrustedProxies);
            await limiter.AcquireForAddressAsync(address, ct);
            var request = await TokenRequest.ReadAsync(http.Request, ct);
            if (request.GrantType != "client_credentials") throw OAuthError.UnsupportedGrantType(Clip(request.GrantType));
            if (request.ClientId is not { } clientId || request.ClientSecret is not { } secret
                || clientId.Length > DeviceCredentialSecrets.MaxLength || secret.Length > DeviceCredentialSecrets.MaxLength)
                throw OAuthError.InvalidClient(request.UsedBasic);

            var attempt = await limiter.BeginPasswordAttemptAsync(address, "oauth-client:" + clientId, ct);
            var credential = await store.FindActiveAsync(clientId, ct);
            // Hash the secret whether or not the client exists, so timing does not tell which ids exist.
            var matches = DeviceCredentialSecrets.Matches(secret, credential?.SecretHash ?? new string('0', 64));
            if (credential is null || !matches) throw OAuthError.InvalidClient(request.UsedBasic);
            await attempt.SucceededAsync(ct);

            if (!issuer.CanIssue)
                return Results.Json(new OAuthErrorBody("temporarily_unavailable", "this server signs no tokens (no JWT signing key is configured)"), statusCode: 503);
            var token = issuer.IssueDevice(credential.DeviceId, credential.ClientId, Lifetime);
            return Results.Json(new OAuthTokenBody(token, "Bearer", (int)Lifetime.TotalSeconds));
        }
        catch (OAuthError e)
        {
            if (e.Status == 401)
                http.Response.Headers.WWWAuthenticate = e.Challenge ? "Basic realm=\"peregrine\", charset=\"UTF-8\"" : "Basic realm=\"peregrine\"";
            return Results.Json(new OAuthErrorBody(e.Error, e.Message), statusCode: e.Status);
        }
        catch (RateLimitedError e)
        {
            Observability.PeregrineTelemetry.RateLimitRejected(Observability.PeregrineTelemetry.Limits.OAuthToken);
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(e.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Json(new OAuthErrorBody("slow_down", "too many token requests; retry later"), statusCode: 429);
        }
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Peregrine.Graph.Auth.RateLimiting;

namespace Peregrine.Graph.Auth.Api;

/// <summary>Hasura Auth's (Nhost's) REST endpoints, at the paths its SDKs call.</summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").AddEndpointFilter<AuthErrorFilter>().WithTags("Auth");

        var credentials = api.MapGroup("").AddEndpointFilter<SignInRateLimitFilter>();
        credentials.MapPost("/signup/email-password", SignUpEndpoints.SignUpEmailPasswordAsync);
        credentials.MapPost("/signin/email-password", SignInEndpoints.SignInEmailPasswordAsync);
        credentials.MapPost("/signin/mfa/totp", SignInEndpoints.SignInMfaTotpAsync);

        api.MapPost("/token", TokenEndpoints.RefreshAsync);
        api.MapPost("/token/verify", TokenEndpoints.VerifyAsync);
        api.MapPost("/signout", TokenEndpoints.SignOutAsync);

        api.MapGet("/user", UserEndpoints.GetUserAsync);
        api.MapPost("/user/password", UserEndpoints.ChangePasswordAsync);
        api.MapPost("/user/mfa", UserEndpoints.SetMfaAsync);
        api.MapGet("/mfa/totp/generate", MfaEndpoints.GenerateTotpAsync);

        api.MapGet("/.well-known/jwks.json", JwksEndpoint.Get);
        return app;
    }
}

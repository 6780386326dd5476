using Microsoft.AspNetCore.Http;

namespace Peregrine.Graph.Auth.RateLimiting;

/// <summary>Applies the per-address sign-in budget to an endpoint, before its body is read.</summary>
public sealed class SignInRateLimitFilter(SignInRateLimiter limiter, AuthOptions options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        await limiter.AcquireForAddressAsync(ClientAddress.Of(http, options.TrustedProxies), http.RequestAborted);
        return await next(context);
    }
}

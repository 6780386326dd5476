using Microsoft.AspNetCore.Http;

namespace Peregrine.Graph.Auth.RateLimiting;

/// <summary>Applies the per-IP sign-in budget to an endpoint, before its body is read.</summary>
public sealed class SignInRateLimitFilter(SignInRateLimiter limiter) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        limiter.AcquireForIp(context.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return next(context);
    }
}

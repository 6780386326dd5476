using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Peregrine.Graph.Auth.RateLimiting;

namespace Peregrine.Graph.Auth.Api;

/// <summary>
/// Turns an <see cref="AuthError"/> into Hasura Auth's error response, and anything unexpected into a bare
/// 500 in the same shape: no exception text (it could hold SQL or a password) reaches the client.
/// </summary>
public sealed class AuthErrorFilter(ILogger<AuthErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (AuthError e)
        {
            return Write(e);
        }
        catch (RateLimitedError e)
        {
            Observability.PeregrineTelemetry.RateLimitRejected(Observability.PeregrineTelemetry.Limits.SignIn);
            context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(e.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Write(e.Error);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The type and stack only: messages of database errors can quote the statement's values.
            logger.LogError("auth endpoint {Path} failed: {Type}\n{Stack}", context.HttpContext.Request.Path, e.GetType().FullName, e.StackTrace);
            return Write(AuthError.Internal());
        }
    }

    public static IResult Write(AuthError e) => TypedResults.Json(e.Body, AuthJson.Options, statusCode: e.Status);
}

using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Media.Scanning;

namespace Peregrine.Graph.Media.Api;

/// <summary>
/// Every failure of a files endpoint as <c>{ "error", "message" }</c>: the API's own errors with their status,
/// session errors (bad JWT, wrong admin secret) as 401, the shared rate limit as 429 with <c>Retry-After</c>,
/// and anything unexpected as a bare 500 whose details stay in the log.
/// </summary>
public sealed class FileErrorFilter(ILogger<FileErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (FileApiError e)
        {
            return Write(e.Status, e.Code, e.Message);
        }
        catch (FileTooLargeException e)
        {
            var error = FileApiError.TooLarge(e.Limit);
            return Write(error.Status, error.Code, error.Message);
        }
        catch (ScannerUnavailableException e)
        {
            logger.LogWarning("file {Path}: {Reason}", context.HttpContext.Request.Path, e.Message);
            var error = FileApiError.ScannerUnavailable();
            return Write(error.Status, error.Code, error.Message);
        }
        catch (TooManyRequestsError e)
        {
            context.HttpContext.Response.Headers.RetryAfter =
                Math.Max(1, (int)Math.Ceiling(e.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Write(429, e.Code, e.Message);
        }
        catch (HasuraError e)
        {
            // Session errors: access-denied, invalid-jwt, invalid-headers, jwt-invalid-claims...
            return Write(401, e.Code, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            return Write(e.StatusCode, e.StatusCode == 413 ? "file-too-large" : "bad-request", e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError("files endpoint {Path} failed: {Type}: {Message}\n{Stack}", context.HttpContext.Request.Path,
                e.GetType().FullName, e.Message, e.StackTrace);
            return Write(500, "internal-error", "internal error");
        }
    }

    public static IResult Write(int status, string code, string message) =>
        TypedResults.Json(new ErrorBody(code, message), statusCode: status);

    public sealed record ErrorBody(string Error, string Message);
}

using Microsoft.AspNetCore.Http;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Media.Files;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Media.Api;

/// <summary>The session of a files request (exactly GraphQL's: Bearer JWT, admin secret, or the unauthorized role).</summary>
internal static class FileSessions
{
    /// <summary>A session that may upload: admin, or a user id; counted against the per-user request limit mutations use.</summary>
    public static async ValueTask<Session> UploaderAsync(HttpRequest request, SessionResolver sessions, MutationRateLimiter limiter,
        CancellationToken ct)
    {
        var session = await sessions.ResolveAsync(request.Headers, ct);
        if (!session.IsAdmin && UploadPipeline.UserId(session) is null)
            throw FileApiError.Forbidden("uploading needs a signed-in user");
        await limiter.AcquireAsync(session, ct);
        return session;
    }

    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}

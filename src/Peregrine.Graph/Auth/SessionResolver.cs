using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Ir;

namespace Peregrine.Graph.Auth;

/// <summary>
/// Turns request headers into a <see cref="Session"/>. For now only the admin secret grants access
/// (JWT and roles come with the auth issue); with no secret configured, every request is admin, as in Hasura.
/// </summary>
public sealed class SessionResolver(PeregrineOptions options)
{
    public Session Resolve(IHeaderDictionary headers)
    {
        var secret = options.AdminSecret;
        if (secret is null) return Session.Admin;
        var sent = headers["x-hasura-admin-secret"].FirstOrDefault() ?? headers["x-hasura-access-key"].FirstOrDefault();
        if (sent is null)
            throw new AccessDeniedError("x-hasura-admin-secret/x-hasura-access-key required, but not found");
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(secret)))
            throw new AccessDeniedError("invalid x-hasura-admin-secret/x-hasura-access-key");
        return Session.Admin;
    }
}

using System.Security.Cryptography;
using System.Text;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution;

namespace Peregrine.Graph.PersistedQueries;

/// <summary>
/// Apollo's automatic persisted queries: a request naming <c>extensions.persistedQuery.sha256Hash</c> without a
/// query runs the document registered under that hash, or fails with <c>PersistedQueryNotFound</c> (the message and
/// code Apollo's link retry on); with a query, the query is registered once its SHA-256 matches the hash.
/// </summary>
public sealed class AutomaticPersistedQueries(PersistedQueryStore store, PersistedQueryOptions options)
{
    /// <summary>The request to run (its query filled in), or the error that answers it.</summary>
    public async ValueTask<(GraphQLRequest Request, HasuraError? Error)> ResolveAsync(GraphQLRequest request, CancellationToken ct)
    {
        if (request.PersistedQuery is not { } persisted) return (request, null);
        if (!options.Enabled) return (request, new PersistedQueryNotSupportedError());
        if (persisted.Version != 1)
            return (request, new BadRequestError($"persisted query version {persisted.Version} is not supported (only 1)", "$.extensions.persistedQuery.version"));
        if (string.IsNullOrEmpty(request.Query))
        {
            var known = await store.FindAsync(persisted.Sha256Hash, ct);
            return known is null ? (request, new PersistedQueryNotFoundError()) : (request with { Query = known }, null);
        }
        if (!Hash(request.Query).Equals(persisted.Sha256Hash, StringComparison.OrdinalIgnoreCase))
            return (request, new BadRequestError("provided sha does not match query", "$.extensions.persistedQuery.sha256Hash"));
        await store.SaveAsync(persisted.Sha256Hash.ToLowerInvariant(), request.Query, ct);
        return (request, null);
    }

    public static string Hash(string query) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)));
}

/// <summary>Apollo's link retries with the query text on exactly this message (or this code).</summary>
public sealed class PersistedQueryNotFoundError() : HasuraError("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound");

/// <summary>Apollo's link stops sending hashes on exactly this message.</summary>
public sealed class PersistedQueryNotSupportedError() : HasuraError("PERSISTED_QUERY_NOT_SUPPORTED", "PersistedQueryNotSupported");

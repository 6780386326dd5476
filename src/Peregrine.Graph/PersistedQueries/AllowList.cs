using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using GraphQLParser;
using GraphQLParser.Exceptions;
using GraphQLParser.Visitors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Rest;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.PersistedQueries;

/// <summary>
/// Hasura's allow-list (PEREGRINE_ALLOW_LIST=true): only registered documents run, compared by their canonical
/// form (parsed and printed again, so whitespace and comments do not matter); admin is exempt. Registered are the
/// operations folder's documents, the REST endpoints' operations, and what admins add through
/// <c>/v1/allow-list</c>, kept in the <c>peregrine_allow_list</c> table so they outlive restarts and reach every
/// instance (each reloads the table every <see cref="ReloadEvery"/>).
/// </summary>
public sealed class AllowList(PersistedQueryOptions options, NpgsqlDataSource database, RestEndpoints rest, ILogger<AllowList> logger)
    : BackgroundService
{
    public static readonly TimeSpan ReloadEvery = TimeSpan.FromSeconds(5);
    private const int MaxCachedTexts = 4096;
    private const int MaxCachedChars = 16 * 1024;
    private const int MaxDocumentChars = 1024 * 1024;
    private readonly ConcurrentDictionary<string, string?> _canonicalHashes = new(StringComparer.Ordinal);
    private volatile HashSet<string> _files = [];
    private volatile HashSet<string> _stored = [];
    private volatile bool _loaded;

    public bool Enabled => options.AllowList;

    /// <summary>The refusal for a document the session may not run, or null.</summary>
    public HasuraError? Check(GraphQLRequest request, Session session)
    {
        if (!options.AllowList || session.IsAdmin) return null;
        var hash = CanonicalHash(request.Query);
        // A document that does not parse is refused by the executor with its own error.
        if (hash is null) return null;
        return _files.Contains(hash) || _stored.Contains(hash) ? null : new ValidationFailedError("query is not allowed");
    }

    /// <summary>SHA-256 of the document's canonical form; null when it does not parse.</summary>
    public string? CanonicalHash(string query)
    {
        if (_canonicalHashes.TryGetValue(query, out var known)) return known;
        // Hostile text never reaches the recursive parser: too long or too deep is left to the executor's own refusal.
        if (query.Length > MaxDocumentChars || Execution.Limits.NestingScan.Exceeds(query, Configuration.RequestLimits.MaxNesting)) return null;
        string? hash;
        try
        {
            var document = Parser.Parse(query, new ParserOptions
            {
                Ignore = IgnoreOptions.Comments | IgnoreOptions.Locations, MaxDepth = 4 * Configuration.RequestLimits.MaxNesting + 16,
            });
            var canonical = new SDLPrinter(new SDLPrinterOptions { PrintComments = false }).Print(document);
            hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        }
        catch (Exception e) when (e is GraphQLParserException or GraphQLMaxDepthExceededException) { hash = null; }
        if (_canonicalHashes.Count < MaxCachedTexts && query.Length <= MaxCachedChars) _canonicalHashes.TryAdd(query, hash);
        return hash;
    }

    public async Task<(string Hash, string? Name)> AddAsync(string query, string? name, CancellationToken ct)
    {
        var hash = CanonicalHash(query) ?? throw new ValidationFailedError("not a valid graphql document", "$.query");
        await EnsureTableAsync(ct);
        await using var cmd = database.CreateCommand(
            "INSERT INTO peregrine_allow_list (hash, name, query) VALUES ($1, $2, $3) ON CONFLICT (hash) DO UPDATE SET name = EXCLUDED.name");
        cmd.Parameters.Add(new NpgsqlParameter { Value = hash });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)name ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter { Value = query });
        await cmd.ExecuteNonQueryAsync(ct);
        await ReloadAsync(ct);
        return (hash, name);
    }

    /// <summary>Removes by hash (as <see cref="AddAsync"/> answered) or by name; the count removed.</summary>
    public async Task<int> RemoveAsync(string hashOrName, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        await using var cmd = database.CreateCommand("DELETE FROM peregrine_allow_list WHERE hash = $1 OR name = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = hashOrName });
        var removed = await cmd.ExecuteNonQueryAsync(ct);
        await ReloadAsync(ct);
        return removed;
    }

    public async Task<List<(string Hash, string? Name, string Query)>> ListAsync(CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var list = new List<(string, string?, string)>();
        await using var cmd = database.CreateCommand("SELECT hash, name, query FROM peregrine_allow_list ORDER BY created_at, hash LIMIT 10000");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) list.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)));
        return list;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.AllowList) return;
        LoadFiles();
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await ReloadAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            // PostgreSQL away: keep the last list (the files' documents always stay allowed).
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("allow-list: cannot reload from PostgreSQL ({Message})", e.Message);
            }
            try { await Task.Delay(ReloadEvery, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    private void LoadFiles()
    {
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        var folder = options.OperationsFolder;
        if (Directory.Exists(folder))
            foreach (var file in Directory.EnumerateFiles(folder, "*.graphql"))
                if (CanonicalHash(File.ReadAllText(file)) is { } h) hashes.Add(h);
        foreach (var e in rest.All)
            if (CanonicalHash(e.Query) is { } h) hashes.Add(h);
        // The server's own documents (file download access asks the engine as the requester's role).
        if (CanonicalHash(Media.Files.DownloadAccess.Query) is { } own) hashes.Add(own);
        _files = hashes;
        logger.LogInformation("allow-list on: {Count} documents from {Folder} and the REST endpoints", hashes.Count, folder);
    }

    private async Task ReloadAsync(CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        await using var cmd = database.CreateCommand("SELECT hash FROM peregrine_allow_list");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) hashes.Add(reader.GetString(0));
        _stored = hashes;
    }

    // The table is the server's own bookkeeping, not part of the API's model (no GraphQL type is made from it).
    private async Task EnsureTableAsync(CancellationToken ct)
    {
        if (_loaded) return;
        await using var cmd = database.CreateCommand(
            "CREATE TABLE IF NOT EXISTS peregrine_allow_list (hash text PRIMARY KEY, name text, query text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
        await cmd.ExecuteNonQueryAsync(ct);
        _loaded = true;
    }
}

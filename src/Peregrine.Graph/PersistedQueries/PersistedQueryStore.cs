using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Peregrine.Domain.Events;
using StackExchange.Redis;

namespace Peregrine.Graph.PersistedQueries;

/// <summary>
/// Where registered documents live, by SHA-256 (hex). A bounded in-process map always answers first; with Redis
/// configured, documents are also written there (with a TTL) so every instance knows what any instance was
/// taught. Redis being down only costs a <c>PersistedQueryNotFound</c>, which the client answers by sending the text.
/// </summary>
public sealed class PersistedQueryStore(PersistedQueryOptions options, ILogger<PersistedQueryStore> logger) : IHostedService, IAsyncDisposable
{
    private const string Prefix = "peregrine:apq:";
    private readonly ConcurrentDictionary<string, string> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private ConnectionMultiplexer? _redis;
    private long _bytes;

    /// <summary>Documents longer than this run but are not kept (registering is client-driven: it must not fill memory).</summary>
    public const int MaxDocumentChars = 64 * 1024;
    private const long MaxLocalChars = 16L * 1024 * 1024;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.RedisUrl is null || !options.Enabled) return Task.CompletedTask;
        var config = RedisChangeBus.ParseUrl(options.RedisUrl);
        config.AbortOnConnectFail = false;
        config.ClientName = "peregrine-apq";
        config.ConnectTimeout = 2000;
        config.AsyncTimeout = 1000;
        _ = ConnectAsync(config);
        return Task.CompletedTask;
    }

    private async Task ConnectAsync(ConfigurationOptions config)
    {
        try { _redis = await ConnectionMultiplexer.ConnectAsync(config); }
        catch (RedisException e) { logger.LogWarning("persisted queries: Redis unavailable, keeping them per instance ({Message})", e.Message); }
    }

    public async ValueTask<string?> FindAsync(string hash, CancellationToken ct)
    {
        if (_local.TryGetValue(hash, out var query)) return query;
        if (_redis is not { IsConnected: true } redis) return null;
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(Prefix + hash).WaitAsync(ct);
            if (value.IsNullOrEmpty) return null;
            query = value.ToString();
            Remember(hash, query);
            return query;
        }
        catch (RedisException e)
        {
            logger.LogWarning("persisted queries: Redis read failed ({Message})", e.Message);
            return null;
        }
    }

    public async ValueTask SaveAsync(string hash, string query, CancellationToken ct)
    {
        if (query.Length > MaxDocumentChars) return;
        Remember(hash, query);
        if (_redis is not { IsConnected: true } redis) return;
        try { await redis.GetDatabase().StringSetAsync(Prefix + hash, query, options.Ttl).WaitAsync(ct); }
        catch (RedisException e) { logger.LogWarning("persisted queries: Redis write failed ({Message})", e.Message); }
    }

    // Oldest out first once full: a client whose document was dropped re-registers it on its next call.
    private void Remember(string hash, string query)
    {
        if (!_local.TryAdd(hash, query)) return;
        Interlocked.Add(ref _bytes, query.Length);
        _order.Enqueue(hash);
        while ((_local.Count > options.MaxEntries || Interlocked.Read(ref _bytes) > MaxLocalChars) && _order.TryDequeue(out var oldest))
            if (_local.TryRemove(oldest, out var dropped)) Interlocked.Add(ref _bytes, -dropped.Length);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null) await _redis.DisposeAsync();
    }
}

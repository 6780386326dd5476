using System.Collections.Concurrent;
using Peregrine.Graph.Compile;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Execution.Results;

/// <summary>
/// Answers of read statements, each with the MVCC snapshot PostgreSQL computed it under. A snapshot names
/// every transaction whose writes it sees, so while the database's current snapshot is still the same one,
/// no write has committed since and the stored answer is exactly what the statement would return now. The
/// check runs inside the statement itself (<see cref="SnapshotGuard"/>): one round trip either way, and a
/// write anywhere makes the next request recompute. Nothing here can be stale, so nothing expires by time.
/// </summary>
public sealed class ResultCache
{
    // Per entry: the dictionary node, the entry and the snapshot text.
    private const long EntryOverhead = 160;
    private readonly long _budget;
    private readonly ConcurrentDictionary<StatementKey, CachedResult> _entries = new();
    private readonly ConcurrentQueue<StatementKey> _arrivals = new();
    private long _bytes, _hits, _lookups;

    public ResultCache(PeregrineOptions options) : this(options.ResultCacheBytes) { }

    /// <param name="budgetBytes">Bytes the answers may take; 0 turns the cache off.</param>
    public ResultCache(long budgetBytes) => _budget = Math.Max(0, budgetBytes);

    public bool Enabled => _budget > 0;

    /// <summary>Statements answered from the cache since start-up.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Bytes held now (answers, keys and bookkeeping).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Statements looked up that had to run (absent, or stale since a write): lookups less hits.</summary>
    public long Misses => Interlocked.Read(ref _lookups) - Hits;

    public CachedResult? Find(StatementKey key)
    {
        Interlocked.Increment(ref _lookups);
        return _entries.GetValueOrDefault(key);
    }

    public void CountHit() => Interlocked.Increment(ref _hits);

    /// <summary>Keeps a statement's fresh answer; answers over a sixteenth of the budget are not kept.</summary>
    public void Store(StatementKey key, string snapshot, JsonText json, int jsonBytes)
    {
        var entry = new CachedResult(snapshot, json, jsonBytes + key.Size + 2L * snapshot.Length + EntryOverhead);
        if (entry.Size > _budget / 16) return;
        if (_entries.TryGetValue(key, out var old))
        {
            if (_entries.TryUpdate(key, entry, old)) Interlocked.Add(ref _bytes, entry.Size - old.Size);
        }
        else if (_entries.TryAdd(key, entry))
        {
            Interlocked.Add(ref _bytes, entry.Size);
            _arrivals.Enqueue(key);
        }
        Evict();
    }

    // Oldest first: a key's arrival is queued once, when it is first added.
    private void Evict()
    {
        while (Interlocked.Read(ref _bytes) > _budget && _arrivals.TryDequeue(out var key))
            if (_entries.TryRemove(key, out var gone)) Interlocked.Add(ref _bytes, -gone.Size);
    }
}

/// <param name="Snapshot">PostgreSQL's <c>pg_current_snapshot()</c> as text, when the answer was computed.</param>
public sealed record CachedResult(string Snapshot, JsonText Json, long Size);

using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Peregrine.Graph.Hosting;

/// <summary>
/// The owner of the server's fire-and-forget work (live-query refreshes, stream runs, key-set refreshes,
/// retries): each piece runs with <see cref="Stopping"/>, which the host cancels when it stops, and is
/// tracked until it ends, so <see cref="BackgroundWorkService"/> can wait for all of it and nothing runs
/// after the services it uses are disposed.
/// </summary>
public sealed class BackgroundWork(ILogger<BackgroundWork> logger)
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<int, Task> _running = new();
    private int _next;

    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Starts <paramref name="work"/> on the thread pool; its failure is logged, never lost.</summary>
    public void Run(Func<CancellationToken, Task> work, string what)
    {
        if (_stopping.IsCancellationRequested) return;
        var id = Interlocked.Increment(ref _next);
        var task = Task.Run(async () =>
        {
            try { await work(_stopping.Token); }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { }
            catch (Exception e) { logger.LogError(e, "background work failed: {What}", what); }
            finally { _running.TryRemove(id, out _); }
        });
        _running.TryAdd(id, task);
        if (task.IsCompleted) _running.TryRemove(id, out _);
    }

    /// <summary>Cancels everything and waits for it to end, or for <paramref name="deadline"/>.</summary>
    public async Task StopAsync(CancellationToken deadline)
    {
        await _stopping.CancelAsync();
        try { await Task.WhenAll(_running.Values).WaitAsync(deadline); }
        catch (OperationCanceledException) { logger.LogWarning("{Count} background tasks still running at shutdown", _running.Count); }
    }
}

/// <summary>Stops <see cref="BackgroundWork"/> with the host.</summary>
public sealed class BackgroundWorkService(BackgroundWork work) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => work.StopAsync(cancellationToken);
}

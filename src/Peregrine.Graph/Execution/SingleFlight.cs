using System.Collections.Concurrent;

namespace Peregrine.Graph.Execution;

/// <summary>
/// Concurrent identical reads run one statement: the first request for a key (the leader) runs it, requests
/// for the same key that arrive before the leader's statement is sent (followers) await the leader's answer.
/// Once the statement is sent the flight closes to newcomers: PostgreSQL takes its snapshot after that, so
/// every follower gets an answer at least as fresh as its own arrival (a write committed before a request
/// arrived is never missing from its answer), which joining a statement already running could not promise.
/// </summary>
public sealed class SingleFlight<T>
{
    private readonly ConcurrentDictionary<string, Task<T>> _open = new(StringComparer.Ordinal);
    private long _joined;

    /// <summary>Requests answered by another request's statement (for telemetry and tests).</summary>
    public long Joined => Interlocked.Read(ref _joined);

    /// <summary>
    /// Runs <paramref name="work"/> for <paramref name="key"/>, or awaits the open flight for it. The work calls
    /// the <c>close</c> action it is given just before sending its statement.
    /// </summary>
    public async Task<T> RunAsync(string key, Func<Action, Task<T>> work, CancellationToken ct)
    {
        while (true)
        {
            var mine = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            var flight = _open.GetOrAdd(key, mine.Task);
            if (flight != mine.Task)
            {
                Interlocked.Increment(ref _joined);
                try { return await flight.WaitAsync(ct); }
                // The leader's client went away and its statement was cancelled: this request still wants an
                // answer, so it runs (or joins) again.
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { continue; }
            }
            var closed = 0;
            void Close()
            {
                if (Interlocked.Exchange(ref closed, 1) == 0) _open.TryRemove(KeyValuePair.Create(key, mine.Task));
            }
            try
            {
                var result = await work(Close);
                Close();
                mine.SetResult(result);
                return result;
            }
            catch (OperationCanceledException)
            {
                Close();
                mine.SetCanceled(CancellationToken.None);
                throw;
            }
            catch (Exception e)
            {
                // Followers share the leader's error (a timeout, a PostgreSQL error): the same statement would fail alike.
                Close();
                mine.SetException(e);
                _ = mine.Task.Exception; // observed here, so a flight nobody joined raises no unobserved-task event
                throw;
            }
        }
    }
}

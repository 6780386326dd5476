using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Peregrine.Domain.Events;

/// <summary>
/// Change events on Redis pub/sub, so every instance sees every write. One Redis message carries a batch
/// of events separated by newlines (jsonb's text never holds a raw newline). The channel is named after
/// the database, so instances of different databases sharing one Redis never see each other's events.
/// Redis being down never stops the server: <see cref="StartAsync"/> returns at once and the connection
/// and subscription are made in the background, retried until they succeed. While Redis is away, this
/// instance's own events go straight to its receiver (a single instance then misses nothing) and are kept
/// (up to <see cref="MaxUnsent"/>; past that, a resync request instead) to be published once Redis is back,
/// so the other instances get them even if they reconnected first. Each time the subscription is
/// (re)established the receiver re-checks everything it watches once, because messages published while
/// it was away are gone.
/// </summary>
public sealed class RedisChangeBus(string redisUrl, string channelName, ILogger<RedisChangeBus> logger) : IChangeBus
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    public const int MaxUnsent = 10_000;
    private readonly RedisChannel _channel = RedisChannel.Literal(channelName);
    private readonly CancellationTokenSource _disposed = new();
    private ConnectionMultiplexer? _redis;
    private IChangeReceiver? _receiver;
    private volatile bool _subscribed;
    private Task _connecting = Task.CompletedTask;
    private CancellationToken _stopping;
    // Events captured here while Redis was away, oldest first; _overflowed: some were dropped, send a resync.
    private readonly List<string> _unsent = [];
    private bool _overflowed;
    private readonly SemaphoreSlim _publishing = new(1, 1);

    public bool IsShared => true;

    /// <summary>True while this instance receives the channel's messages.</summary>
    public bool IsSubscribed => _subscribed && _redis is { IsConnected: true };

    public void Subscribe(IChangeReceiver receiver) => _receiver = receiver;

    /// <summary>Starts connecting; <paramref name="ct"/> (the host's stopping token) ends the attempts.</summary>
    public Task StartAsync(CancellationToken ct)
    {
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposed.Token).Token;
        _connecting = ConnectAsync(_stopping);
        return Task.CompletedTask;
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        var options = ParseUrl(redisUrl);
        options.AbortOnConnectFail = false; // keep retrying in the background instead of failing
        options.ClientName = "peregrine";
        options.ConnectTimeout = 2000;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        var redis = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(ct);
        _redis = redis;
        redis.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription) logger.LogWarning("redis connection lost: {Failure}", e.FailureType);
        };
        redis.ConnectionRestored += (_, e) =>
        {
            if (!_subscribed) return;
            // Events kept while Redis was away go out as soon as it can take them.
            _ = PublishUnsentAsync();
            // The subscription connection is the one that carries events; the interactive one only publishes.
            if (e.ConnectionType == ConnectionType.Subscription) _ = ResyncWhenSubscribedAsync(redis);
        };
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var queue = await redis.GetSubscriber().SubscribeAsync(_channel).WaitAsync(TimeSpan.FromSeconds(5), ct);
                // One handler at a time, in publish order.
                queue.OnMessage(message =>
                {
                    var text = (string?)message.Message;
                    if (string.IsNullOrEmpty(text)) return;
                    ChangeBusMessage.Dispatch(text.Split('\n'), _receiver);
                });
                _subscribed = true;
                logger.LogInformation("redis: subscribed to {Channel}", channelName);
                // Whatever was published before this moment never reached us.
                _receiver?.OnResync();
                // What was captured before we subscribed (the listener's start-up resync at least) goes out now,
                // not with the first real change much later, where it would re-run every live query for nothing.
                _ = PublishUnsentAsync();
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                logger.LogWarning("redis unavailable ({Message}); retrying", e.Message);
                try { await Task.Delay(RetryDelay, ct); } catch (OperationCanceledException) { return; }
            }
        }
    }

    // A PING on the subscription connection answers after the resubscription sent before it, so the
    // re-check below cannot run before events flow again (and miss one published in between).
    private async Task ResyncWhenSubscribedAsync(ConnectionMultiplexer redis)
    {
        try { await redis.GetSubscriber().PingAsync().WaitAsync(TimeSpan.FromSeconds(5), _stopping); }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { return; }
        catch (Exception e) when (e is RedisException or TimeoutException) { /* re-check anyway */ }
        logger.LogInformation("redis connection restored: re-checking every live query");
        _receiver?.OnResync();
    }

    public async Task PublishAsync(IReadOnlyList<string> messages, CancellationToken ct)
    {
        if (messages.Count == 0) return;
        if (!IsSubscribed)
        {
            // This instance's receivers need not wait for Redis; the others get these once it is back.
            ChangeBusMessage.Dispatch(messages, _receiver);
            Keep(messages);
            return;
        }
        await PublishUnsentAsync();
        var sent = 0;
        try
        {
            foreach (var (text, count) in Joined(messages))
            {
                await _redis!.GetSubscriber().PublishAsync(_channel, text);
                sent += count;
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            var rest = sent == 0 ? messages : messages.Skip(sent).ToList();
            ChangeBusMessage.Dispatch(rest, _receiver);
            Keep(rest);
            throw;
        }
    }

    /// <summary>Largest joined publish, in chars: its string stays off the large-object heap here and in every receiver.</summary>
    public const int MaxPublishChars = 30_000;

    // Consecutive messages joined by '\n' up to MaxPublishChars (a longer message goes alone), in order.
    private static IEnumerable<(string Text, int Count)> Joined(IReadOnlyList<string> messages)
    {
        var start = 0;
        while (start < messages.Count)
        {
            var end = start + 1;
            var chars = messages[start].Length;
            while (end < messages.Count && chars + 1 + messages[end].Length <= MaxPublishChars) chars += 1 + messages[end++].Length;
            yield return (end - start == 1 ? messages[start] : string.Join('\n', messages.Skip(start).Take(end - start)), end - start);
            start = end;
        }
    }

    private void Keep(IReadOnlyList<string> messages)
    {
        lock (_unsent)
        {
            if (_unsent.Count + messages.Count > MaxUnsent) _overflowed = true;
            else _unsent.AddRange(messages);
        }
    }

    private async Task PublishUnsentAsync()
    {
        lock (_unsent) if (_unsent.Count == 0 && !_overflowed) return;
        await _publishing.WaitAsync(_stopping);
        try
        {
            string[] batch;
            lock (_unsent)
            {
                batch = _overflowed ? [ChangeBusMessage.Resync] : _unsent.ToArray();
                _unsent.Clear();
                _overflowed = false;
            }
            if (batch.Length == 0) return;
            try
            {
                foreach (var chunk in batch.Chunk(512))
                    await _redis!.GetSubscriber().PublishAsync(_channel, string.Join('\n', chunk));
                logger.LogInformation("redis: published {Count} change events kept while it was away", batch.Length);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Still away: keep them for the next attempt (the receivers here already had them).
                Keep(batch);
            }
        }
        catch (OperationCanceledException) { }
        finally { _publishing.Release(); }
    }

    public async Task<string?> ProbeAsync(CancellationToken ct)
    {
        if (_redis is not { } redis) return "connecting";
        if (!IsSubscribed) return "not connected";
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), ct);
            return null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException) { return e.Message; }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        try { await _connecting; } catch (OperationCanceledException) { }
        if (_redis is not null) await _redis.DisposeAsync();
    }

    /// <summary><c>redis://[user:password@]host[:port][/db]</c> or a StackExchange.Redis configuration string.</summary>
    public static ConfigurationOptions ParseUrl(string url)
    {
        if (!url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
            return ConfigurationOptions.Parse(url);
        var uri = new Uri(url);
        var options = new ConfigurationOptions { Ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase) };
        options.EndPoints.Add(uri.Host, uri.IsDefaultPort || uri.Port <= 0 ? 6379 : uri.Port);
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo.Length == 2)
        {
            if (userInfo[0].Length > 0) options.User = Uri.UnescapeDataString(userInfo[0]);
            options.Password = Uri.UnescapeDataString(userInfo[1]);
        }
        else if (userInfo[0].Length > 0) options.Password = Uri.UnescapeDataString(userInfo[0]);
        if (int.TryParse(uri.AbsolutePath.Trim('/'), out var db)) options.DefaultDatabase = db;
        return options;
    }
}

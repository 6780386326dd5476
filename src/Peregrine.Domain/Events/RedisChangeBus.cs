using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Peregrine.Domain.Events;

/// <summary>
/// Change events on Redis pub/sub, so every instance sees every write. One Redis message carries a batch
/// of events separated by newlines (jsonb's text never holds a raw newline). The channel is named after
/// the database, so instances of different databases sharing one Redis never see each other's events.
/// StackExchange.Redis reconnects and resubscribes by itself; on every restored connection the receiver
/// re-checks what it watches, because messages published while it was away are gone.
/// </summary>
public sealed class RedisChangeBus(string redisUrl, string channelName, ILogger<RedisChangeBus> logger) : IChangeBus
{
    private ConnectionMultiplexer? _redis;
    private IChangeReceiver? _receiver;
    private readonly RedisChannel _channel = RedisChannel.Literal(channelName);

    public bool IsShared => true;

    public void Subscribe(IChangeReceiver receiver) => _receiver = receiver;

    public async Task StartAsync(CancellationToken ct)
    {
        var options = ParseUrl(redisUrl);
        options.AbortOnConnectFail = false;
        options.ClientName = "peregrine";
        _redis = await ConnectionMultiplexer.ConnectAsync(options);
        _redis.ConnectionFailed += (_, e) => logger.LogWarning("redis connection lost ({Type}): {Failure}", e.ConnectionType, e.FailureType);
        _redis.ConnectionRestored += (_, e) =>
        {
            logger.LogInformation("redis connection restored ({Type}): re-checking every live query", e.ConnectionType);
            _receiver?.OnResync();
        };
        var queue = await _redis.GetSubscriber().SubscribeAsync(_channel);
        // One handler at a time, in publish order.
        queue.OnMessage(message =>
        {
            var text = (string?)message.Message;
            if (string.IsNullOrEmpty(text)) return;
            ChangeBusMessage.Dispatch(text.Split('\n'), _receiver);
        });
    }

    public async Task PublishAsync(IReadOnlyList<string> messages, CancellationToken ct)
    {
        if (_redis is null || messages.Count == 0) return;
        await _redis.GetSubscriber().PublishAsync(_channel, string.Join('\n', messages));
    }

    public async ValueTask DisposeAsync()
    {
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

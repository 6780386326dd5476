using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Peregrine.Domain.Events;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Hosting;
using Peregrine.Graph.Transport.WebSockets;

namespace Peregrine.Graph.Subscriptions;

public static class RealtimeServices
{
    /// <summary>Change capture, the bus (Redis when PEREGRINE_REDIS_URL is set, else in-process), live queries, websockets.</summary>
    public static IServiceCollection AddPeregrineRealtime(this IServiceCollection services)
    {
        services.AddSingleton<IChangeBus>(sp =>
        {
            var options = sp.GetRequiredService<PeregrineOptions>();
            if (options.RedisUrl is null) return new InProcessChangeBus();
            return new RedisChangeBus(options.RedisUrl, ChannelName(options.DatabaseConnectionString),
                sp.GetRequiredService<ILogger<RedisChangeBus>>());
        });
        services.AddSingleton(sp => new PostgresChangeListener(
            sp.GetRequiredService<PeregrineOptions>().DatabaseConnectionString,
            sp.GetRequiredService<IChangeBus>(), sp.GetRequiredService<ILogger<PostgresChangeListener>>()));
        services.AddSingleton<LiveQueryAnalyzer>();
        services.AddSingleton<BackgroundWork>();
        services.AddSingleton<LiveQueryRegistry>();
        // Registered before the services that start work on it, so the host stops it after them.
        services.AddHostedService<BackgroundWorkService>();
        services.AddHostedService<ChangeCaptureService>();
        services.AddSingleton<SubscriptionServerFactory>();
        return services;
    }

    /// <summary>One Redis channel per database: servers of different databases may share a Redis.</summary>
    public static string ChannelName(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"peregrine:changes:{b.Host}:{b.Port}/{b.Database}";
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Peregrine.Domain.Persistence;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Execution.Admission;
using Peregrine.Graph.Execution.Plans;
using Peregrine.Graph.Execution.Results;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Metadata.Permissions;
using Peregrine.Graph.Schema;

namespace Peregrine.Graph.Hosting;

public static class PeregrineServices
{
    public static WebApplicationBuilder AddPeregrine(this WebApplicationBuilder builder)
    {
        // Our own limit (PeregrineOptions.MaxRequestBytes) answers with a Hasura error instead of Kestrel's.
        // No Server banner: it tells an attacker which server (and version) to look up exploits for.
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.AddServerHeader = false;
        });
        DevelopmentKeys.Apply(builder.Configuration);
        var services = builder.Services;
        // Read lazily: test hosts add their configuration after Program's top-level code has run.
        services.AddSingleton(sp => PeregrineOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => RequestLimitsOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => ApiDataSource.Build(sp.GetRequiredService<PeregrineOptions>().DatabaseConnectionString));
        services.AddSingleton(sp => BuildCatalog(sp.GetRequiredService<PeregrineOptions>()));
        services.AddSingleton<GeneratedSchema>();
        services.AddSingleton(sp => PermissionsFile.Load(
            sp.GetRequiredService<PeregrineOptions>().PermissionsFile ?? Path.Combine(AppContext.BaseDirectory, "permissions.json"),
            sp.GetRequiredService<CatalogMetadata>(), sp.GetRequiredService<RequestLimitsOptions>().DefaultRowLimit));
        services.AddSingleton<SchemaRegistry>();
        services.AddSingleton<ResultCache>();
        services.AddSingleton(sp => ApiDataSource.BuildHeavyLane(sp.GetRequiredService<PeregrineOptions>().DatabaseConnectionString,
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<PeregrineOptions>().HeavyQueryConnections));
        services.AddSingleton<StatisticsCache>();
        services.AddSingleton<QueryAdmission>();
        services.AddSingleton<Execution.Replicas.ReadReplicas>();
        services.AddHostedService<Execution.Replicas.ReplicaHealthMonitor>();
        services.AddSingleton<SqlRunner>();
        services.AddSingleton<MutationRateLimiter>();
        services.AddSingleton<QueryPlanCache>();
        services.AddSingleton<DatabaseExecutionStrategy>();
        services.AddSingleton<Execution.Preparation.SensorInsertShortcut>();
        services.AddSingleton<GraphQLExecutor>();
        services.AddSingleton<SessionResolver>();
        services.AddPeregrineAuth();
        services.AddHttpClient(nameof(HealthApi));
        services.AddSingleton<Transport.WebSockets.OpenConnections>();
        services.AddHostedService<GracefulShutdown>();
        services.AddOptions<HostOptions>().Configure<PeregrineOptions>((host, o) => host.ShutdownTimeout = o.ShutdownTimeout);
        Browser.BrowserHeaders.AddBrowserHeaders(services);
        Peregrine.Graph.Media.MediaServices.AddPeregrineMedia(services);
        Peregrine.Graph.Subscriptions.RealtimeServices.AddPeregrineRealtime(services);
        Peregrine.Graph.Sensors.Devices.DeviceServices.AddPeregrineDevices(services);
        Peregrine.Graph.Sensors.SensorServices.AddPeregrineSensors(services);
        Peregrine.Graph.Sensors.Queries.SensorQueryServices.AddPeregrineSensorQueries(services);
        GraphiQL.ConsoleApi.AddConsole(services);
        builder.AddOperatorServices();
        return builder;
    }

    /// <summary>The API's tables come from the EF Core model the migrations are made from.</summary>
    public static CatalogMetadata BuildCatalog(PeregrineOptions options)
    {
        using var db = CreateDbContext(options.DatabaseConnectionString);
        return CatalogFromEfModel.Build(db.GetService<IDesignTimeModel>().Model, options.H3Resolution);
    }

    public static PeregrineDbContext CreateDbContext(string connectionString) =>
        new(PeregrineDbContextOptions.Build(new DbContextOptionsBuilder<PeregrineDbContext>(), connectionString).Options);
}

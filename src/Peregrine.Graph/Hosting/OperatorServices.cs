using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Peregrine.Graph.Observability;
using Peregrine.Graph.PersistedQueries;
using Peregrine.Graph.Rest;

namespace Peregrine.Graph.Hosting;

/// <summary>
/// What operators and integrators use beside <c>/v1/graphql</c>: REST endpoints and their OpenAPI document,
/// persisted queries and the allow-list, version, metrics, traces and the request log.
/// </summary>
public static class OperatorServices
{
    public static WebApplicationBuilder AddOperatorServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => RestOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<RestEndpoints>();
        services.AddSingleton(sp => PersistedQueryOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<Configuration.PeregrineOptions>()));
        services.AddSingleton<PersistedQueryStore>();
        services.AddHostedService(sp => sp.GetRequiredService<PersistedQueryStore>());
        services.AddSingleton<AutomaticPersistedQueries>();
        services.AddSingleton<AllowList>();
        services.AddHostedService(sp => sp.GetRequiredService<AllowList>());

        services.AddSingleton(sp => ObservabilityOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<TelemetryGauges>();
        AddLogging(services);
        AddOpenTelemetry(builder);
        return builder;
    }

    // Read lazily (test hosts add settings after Program's top-level code): JSON lines with
    // PEREGRINE_LOG_FORMAT=json; ASP.NET's and HttpClient's own per-request lines off unless Logging:LogLevel asks for them.
    private static void AddLogging(IServiceCollection services)
    {
        services.AddOptions<ConsoleLoggerOptions>().Configure<IConfiguration>((o, config) =>
            o.FormatterName = ObservabilityOptions.FromConfiguration(config).JsonLogs ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple);
        services.AddOptions<LoggerFilterOptions>().Configure<IConfiguration>((o, config) =>
        {
            if (config["Logging:LogLevel:Microsoft.AspNetCore"] is null)
                o.Rules.Add(new LoggerFilterRule(null, "Microsoft.AspNetCore", LogLevel.Warning, null));
            // IHttpClientFactory's clients (InfluxDB reads and writes, JWKS) log four info lines per call, so every
            // sensor query would add them to the one line of its request.
            if (config["Logging:LogLevel:System.Net.Http.HttpClient"] is null)
                o.Rules.Add(new LoggerFilterRule(null, "System.Net.Http.HttpClient", LogLevel.Warning, null));
        });
    }

    // Metrics always (scraped at /metrics); traces only when an OTLP endpoint is configured. The exporter reads
    // OTEL_EXPORTER_OTLP_ENDPOINT / _PROTOCOL / _HEADERS itself, as every OpenTelemetry SDK does.
    private static void AddOpenTelemetry(WebApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("peregrine", serviceVersion: VersionApi.Version))
            .WithMetrics(m => m.AddMeter(PeregrineTelemetry.Name, "Npgsql")
                // Of Npgsql's instruments only the pool's (connections used/idle, and its size): the rest adds a series per statement shape.
                .AddView(i => i.Meter.Name == "Npgsql" && i.Name is not ("db.client.connection.count" or "db.client.connection.max")
                    ? MetricStreamConfiguration.Drop : null)
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            otel.WithTracing(t => t.AddSource(PeregrineTelemetry.Name).AddAspNetCoreInstrumentation(o =>
                o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics") && !http.Request.Path.StartsWithSegments("/healthz"))
                .AddOtlpExporter());
    }

    /// <summary>
    /// Resolved by <see cref="StartupCheck"/>: a bad file or setting, or a REST operation the schema does not
    /// validate, stops the server before it listens.
    /// </summary>
    public static async Task CheckAsync(IServiceProvider services)
    {
        await RestOperationCheck.RunAsync(services.GetRequiredService<RestEndpoints>(), services.GetRequiredService<RestOptions>(),
            services.GetRequiredService<Schema.SchemaRegistry>());
        services.GetRequiredService<PersistedQueryOptions>();
        services.GetRequiredService<ObservabilityOptions>();
        services.GetRequiredService<TelemetryGauges>();
    }

    /// <summary>The request log and the metrics guard go first, so they see every request.</summary>
    public static WebApplication UseOperatorServices(this WebApplication app)
    {
        app.UseRequestLogging();
        app.UseMetricsGuard();
        return app;
    }

    public static WebApplication MapOperatorServices(this WebApplication app)
    {
        app.MapVersionApi();
        app.MapRestEndpoints();
        app.MapAllowListApi();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Peregrine.Domain.Persistence;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Schema;

namespace Peregrine.Graph.Hosting;

public static class PeregrineServices
{
    public static WebApplicationBuilder AddPeregrine(this WebApplicationBuilder builder)
    {
        var options = PeregrineOptions.FromConfiguration(builder.Configuration);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(options.DatabaseConnectionString).Build());
        services.AddSingleton(_ => BuildCatalog(options.DatabaseConnectionString));
        services.AddSingleton<GeneratedSchema>();
        services.AddSingleton<SqlRunner>();
        services.AddSingleton<DatabaseExecutionStrategy>();
        services.AddSingleton<GraphQLExecutor>();
        services.AddSingleton<SessionResolver>();
        return builder;
    }

    /// <summary>The API's tables come from the EF Core model the migrations are made from.</summary>
    public static CatalogMetadata BuildCatalog(string connectionString)
    {
        using var db = CreateDbContext(connectionString);
        return CatalogFromEfModel.Build(db.GetService<IDesignTimeModel>().Model);
    }

    public static PeregrineDbContext CreateDbContext(string connectionString) =>
        new(PeregrineDbContextOptions.Build(new DbContextOptionsBuilder<PeregrineDbContext>(), connectionString).Options);
}

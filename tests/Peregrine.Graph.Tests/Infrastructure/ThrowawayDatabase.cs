using Microsoft.EntityFrameworkCore;
using Npgsql;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Hosting;

namespace Peregrine.Graph.Tests.Infrastructure;

/// <summary>
/// A migrated database of a fixture's own on the shared PostgreSQL (PEREGRINE_DATABASE_URL), so what the
/// fixture writes is seen by no one else; dropped (with any connections left) on dispose.
/// </summary>
public sealed class ThrowawayDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private ThrowawayDatabase(string name, string adminConnectionString)
    {
        Name = name;
        _adminConnectionString = adminConnectionString;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<ThrowawayDatabase> CreateAsync(string name)
    {
        var url = Environment.GetEnvironmentVariable("PEREGRINE_DATABASE_URL")
            ?? throw new InvalidOperationException("PEREGRINE_DATABASE_URL is not set: run the tests through ./peregrine test");
        var database = new ThrowawayDatabase(name, DatabaseUrl.ToConnectionString(url));
        await database.AdminAsync($"CREATE DATABASE \"{name}\"");
        await using (var db = PeregrineServices.CreateDbContext(database.ConnectionString))
            await db.Database.MigrateAsync();
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private async Task AdminAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }
}

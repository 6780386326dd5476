using Microsoft.EntityFrameworkCore;
using Npgsql;
using Peregrine.Domain.Persistence;

namespace Peregrine.Domain.Tests.Seeding;

/// <summary>
/// A throwaway database on the PostgreSQL that <c>./peregrine services start</c> runs (from
/// <c>PEREGRINE_DATABASE_URL</c>), migrated to the current schema, dropped after the test class.
/// </summary>
public sealed class SeedingDatabaseFixture : IAsyncLifetime
{
    public const string DefaultUrl = "postgres://peregrine:peregrine@127.0.0.1:25432/peregrine";

    private readonly string _adminConnectionString;

    public SeedingDatabaseFixture()
    {
        var url = Environment.GetEnvironmentVariable("PEREGRINE_DATABASE_URL");
        var builder = new NpgsqlConnectionStringBuilder(
            PostgresUrl.ToConnectionString(string.IsNullOrWhiteSpace(url) ? DefaultUrl : url));
        DatabaseName = $"peregrine_seed_test_{Guid.NewGuid():N}"[..40];
        builder.Database = "postgres";
        _adminConnectionString = builder.ConnectionString;
        builder.Database = DatabaseName;
        ConnectionString = builder.ConnectionString;
    }

    public string DatabaseName { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(_adminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        var options = PeregrineDbContextOptions.Build(new DbContextOptionsBuilder<PeregrineDbContext>(), ConnectionString);
        await using (var db = new PeregrineDbContext(options.Options))
            await db.Database.MigrateAsync();
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (DataSource is not null) await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

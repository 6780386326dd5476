using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Peregrine.Domain.Seeding;

namespace Peregrine.Graph.Tests.Infrastructure;

/// <summary>
/// The real server (through <see cref="WebApplicationFactory{TEntryPoint}"/>) over a throwaway database
/// on the PostgreSQL that <c>./peregrine services start</c> runs: migrated, then seeded with the
/// deterministic demo data (<see cref="SeedReports"/> reports), then dropped at the end.
/// </summary>
public class PeregrineFixture : IAsyncLifetime
{
    private readonly int _reports;

    public PeregrineFixture() : this(SeedReports) { }

    /// <summary>For fixtures that need more (or less) data than the shared one.</summary>
    protected PeregrineFixture(int reports) => _reports = reports;

    public const string AdminSecret = "test-admin-secret";
    /// <summary>The HS256 key tests sign their own JWTs with (Hasura's JSON form is <see cref="JwtSecret"/>).</summary>
    public const string JwtKey = "peregrine-test-hs256-key-0123456789abcdef";
    public const string JwtSecret = "{\"type\":\"HS256\",\"key\":\"" + JwtKey + "\"}";
    public const int SeedReports = 300;
    /// <summary>The AES key TOTP secrets are sealed with (PEREGRINE_ENCRYPTION_KEY), so tests can open them independently.</summary>
    public static readonly byte[] EncryptionKey = System.Security.Cryptography.SHA256.HashData("peregrine-test-encryption-key"u8);

    private WebApplicationFactory<Program>? _factory;
    private ThrowawayDatabase? _database;

    public string DatabaseName { get; } = "peregrine_test_" + Guid.NewGuid().ToString("N")[..12];
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;
    public WebApplicationFactory<Program> Factory => _factory!;

    public async Task InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync(DatabaseName);
        ConnectionString = _database.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await DemoSeeder.SeedAsync(DataSource, _reports);
        // One file row per user (metadata only, no bytes behind it) with every column set, so each role has
        // rows to read in `files` and a stream over any of its columns (from its lowest value, exclusive) has a first answer: the generated
        // permission tests subscribe to every table by every column and wait for that answer.
        await using (var files = DataSource.CreateCommand(
            "INSERT INTO files (name, mime_type, size, etag, is_uploaded, status, rejection_reason, uploaded_by_user_id, storage_key, thumbnail_key, url, thumbnail_url) " +
            "SELECT 'seed.jpg', 'image/jpeg', 1, 'seed', true, 'valid', 'seed', id, 'seed/' || id, 'seed/' || id || '.webp', '/seed', '/seed' FROM users"))
            await files.ExecuteNonQueryAsync();

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("PEREGRINE_DATABASE_URL", ConnectionString);
            b.UseSetting("HASURA_GRAPHQL_DATABASE_URL", "");
            b.UseSetting("PEREGRINE_ADMIN_SECRET", AdminSecret);
            b.UseSetting("PEREGRINE_MAX_REQUEST_BYTES", "65536");
            b.UseSetting("PEREGRINE_JWT_SECRET", JwtSecret);
            b.UseSetting("HASURA_GRAPHQL_JWT_SECRET", "");
            // Every test shares one client "IP"; the limits themselves are tested on a host of their own.
            b.UseSetting("PEREGRINE_AUTH_SIGNIN_PER_IP_PER_MINUTE", "100000");
            b.UseSetting("PEREGRINE_AUTH_SIGNIN_PER_ACCOUNT", "100000");
            b.UseSetting("PEREGRINE_AUTH_SIGNIN_PER_ADDRESS_ACCOUNT", "100000");
            b.UseSetting("PEREGRINE_ENCRYPTION_KEY", Convert.ToBase64String(EncryptionKey));
            Configure(b);
        });
        // Start the host now, outside any test's trace, so its background services belong to none.
        var ambient = System.Diagnostics.Activity.Current;
        System.Diagnostics.Activity.Current = null;
        using (var warmup = _factory.CreateClient()) await warmup.GetAsync("/healthz");
        System.Diagnostics.Activity.Current = ambient;
    }

    /// <summary>Settings a derived fixture adds (or overrides) on top of the shared ones.</summary>
    protected virtual void Configure(IWebHostBuilder builder) { }

    /// <summary>A client that sends the admin secret (and the ambient trace, so <see cref="SqlCapture"/> can follow its requests).</summary>
    public HttpClient AdminClient()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add("x-hasura-admin-secret", AdminSecret);
        if (System.Diagnostics.Activity.Current is { } trace)
            client.DefaultRequestHeaders.Add("traceparent", $"00-{trace.TraceId}-{trace.SpanId}-01");
        return client;
    }

    /// <summary>POSTs one GraphQL request as admin and returns the parsed response body.</summary>
    public async Task<JsonNode> GraphQLAsync(string query, object? variables = null, HttpClient? client = null)
    {
        client ??= AdminClient();
        var body = JsonSerializer.Serialize(new { query, variables });
        using var response = await client.PostAsync("/v1/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("empty response");
    }

    /// <summary>Runs SQL directly against the test database: the independent truth responses are checked against.</summary>
    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var p in parameters) cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        if (DataSource is not null) await DataSource.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PeregrineCollection : ICollectionFixture<PeregrineFixture>
{
    public const string Name = "peregrine";
}

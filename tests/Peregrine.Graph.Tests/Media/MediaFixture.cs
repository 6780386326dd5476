using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Peregrine.Graph.Media.Storage;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Media;

/// <summary>
/// A real Peregrine server listening on a loopback port (Kestrel, so clients talk real HTTP) over a throwaway
/// migrated database, with the local storage backend in a temporary folder, encryption at rest, a 20 MB
/// upload limit, and a permissions file where a user sees a report's media only when the report is theirs
/// or one they favourited (so "who can see the report" is a real distinction in these tests).
/// </summary>
public class MediaFixture : IAsyncLifetime
{
    public const long MaxBytes = 20 * 1024 * 1024;
    public static readonly byte[] EncryptionKey = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();

    private ThrowawayDatabase? _database;
    private readonly List<WebApplicationFactory<Program>> _hosts = [];

    public string DatabaseName { get; } = "peregrine_media_" + Guid.NewGuid().ToString("N")[..12];
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;
    public string StoragePath { get; } = Path.Combine(Path.GetTempPath(), "peregrine-media-test-" + Guid.NewGuid().ToString("N")[..8]);
    public string PermissionsPath { get; private set; } = "";
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Settings a derived fixture adds or overrides (clamd, a short staging TTL, the S3 backend).</summary>
    protected virtual IEnumerable<(string Key, string Value)> ExtraSettings() => [];

    public async Task InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync(DatabaseName);
        ConnectionString = _database.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        Directory.CreateDirectory(StoragePath);
        PermissionsPath = Path.Combine(StoragePath, "permissions.json");
        await File.WriteAllTextAsync(PermissionsPath, RestrictedPermissions());

        Factory = StartHost([]);
        BaseAddress = Factory.ClientOptions.BaseAddress;
    }

    /// <summary>Another server over the same database and storage (same backend), with some settings changed.</summary>
    public WebApplicationFactory<Program> StartHost(IEnumerable<(string Key, string Value)> overrides)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("PEREGRINE_DATABASE_URL", ConnectionString);
            b.UseSetting("HASURA_GRAPHQL_DATABASE_URL", "");
            b.UseSetting("PEREGRINE_ADMIN_SECRET", PeregrineFixture.AdminSecret);
            b.UseSetting("PEREGRINE_JWT_SECRET", PeregrineFixture.JwtSecret);
            b.UseSetting("HASURA_GRAPHQL_JWT_SECRET", "");
            b.UseSetting("PEREGRINE_PERMISSIONS_FILE", PermissionsPath);
            b.UseSetting("PEREGRINE_AUTH_SIGNIN_PER_IP_PER_MINUTE", "100000");
            b.UseSetting("PEREGRINE_AUTH_SIGNIN_PER_ACCOUNT", "100000");
            b.UseSetting("PEREGRINE_MUTATIONS_PER_SECOND", "1000");
            // The validation budget is another suite's subject; a freshly started host validating its first query cold
            // on a loaded machine can take longer than the default 500 ms.
            b.UseSetting("PEREGRINE_VALIDATION_TIMEOUT_MS", "10000");
            b.UseSetting("PEREGRINE_STORAGE", "local");
            b.UseSetting("PEREGRINE_STORAGE_PATH", StoragePath);
            b.UseSetting("PEREGRINE_STORAGE_MAX_BYTES", MaxBytes.ToString());
            b.UseSetting("PEREGRINE_ENCRYPTION_KEY", Convert.ToBase64String(EncryptionKey));
            b.UseSetting("PEREGRINE_CLAMAV_URL", "");
            // The fixture's own settings (backend, scanner), then the caller's changes.
            foreach (var (key, value) in ExtraSettings().Concat(overrides)) b.UseSetting(key, value);
        });
        // Port 0: the OS picks a free port (parallel test classes and other checkouts run servers too).
        factory.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        factory.StartServer();
        _hosts.Add(factory);
        return factory;
    }

    /// <summary>A plain HTTP client (no credentials) to the server's real address.</summary>
    public HttpClient Client(WebApplicationFactory<Program>? host = null)
    {
        var client = (host ?? Factory).CreateClient();
        client.Timeout = TimeSpan.FromMinutes(2);
        return client;
    }

    public HttpClient ClientWithToken(string accessToken)
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    public HttpClient AdminClient()
    {
        var client = Client();
        client.DefaultRequestHeaders.Add("x-hasura-admin-secret", PeregrineFixture.AdminSecret);
        return client;
    }

    public UrlSigner Signer => Factory.Services.GetRequiredService<UrlSigner>();
    public IFileStorage Storage => Factory.Services.GetRequiredService<IFileStorage>();

    /// <summary>True for the local backend (objects are files under <see cref="StoragePath"/>).</summary>
    public virtual bool IsLocal => true;

    /// <summary>Every stored object whose key names <paramref name="id"/> (staging, final, thumbnails, transforms).</summary>
    public virtual Task<string[]> ObjectsOfAsync(Guid id) => Task.FromResult(
        Directory.EnumerateFiles(StoragePath, "*", SearchOption.AllDirectories)
            .Where(p => p.Contains(id.ToString("N"), StringComparison.Ordinal) || p.Contains(id.ToString("D"), StringComparison.Ordinal))
            .ToArray());

    /// <summary>A staged object with no row (what a crash between steps leaves).</summary>
    public virtual Task PutOrphanStagedAsync(Guid id) =>
        File.WriteAllBytesAsync(Path.Combine(StoragePath, "staging", id.ToString("N")), [1, 2, 3]);

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var p in parameters) cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    public static async Task<JsonNode> GraphQLAsync(HttpClient client, string query, object? variables = null)
    {
        var body = JsonSerializer.Serialize(new { query, variables });
        using var response = await client.PostAsync("/v1/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    // The shipped rules, except that a user reads media only of reports that are theirs or that they favourited.
    private static string RestrictedPermissions()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "src/Peregrine.Graph/Metadata/Permissions/permissions.json")))!;
        root["phenom_media"]!["user"]!["select"]!["filter"] = JsonNode.Parse("""
            { "report": { "_or": [
              { "user_id": { "_eq": "X-Hasura-User-Id" } },
              { "favorited_by": { "user_id": { "_eq": "X-Hasura-User-Id" } } } ] } }
            """);
        return root.ToJsonString();
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Peregrine.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        if (DataSource is not null) await DataSource.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        try { Directory.Delete(StoragePath, recursive: true); } catch (IOException) { }
    }
}

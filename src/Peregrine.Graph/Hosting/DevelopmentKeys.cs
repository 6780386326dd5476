using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Hosting;

/// <summary>
/// Keys for a development server that nobody configured: with <c>PEREGRINE_DEV_KEYS_DIR</c> set (as
/// <c>./peregrine run</c> sets it, to the git-ignored <c>.data/dev-keys</c>), a missing admin secret and a
/// missing JWT secret are made there on first start (random, files readable by their owner only) and read back
/// on later starts, so tokens issued yesterday still verify. Never in production (<see cref="RunMode"/>): there
/// the folder is ignored and <see cref="ProductionCheck"/> asks for real secrets.
/// </summary>
public static class DevelopmentKeys
{
    public const string AdminSecretFile = "admin-secret";
    public const string JwtSecretFile = "jwt-secret.json";

    /// <summary>Adds the missing secrets to <paramref name="config"/> and says on stdout where they are.</summary>
    public static void Apply(IConfigurationManager config)
    {
        var s = new SettingsReader(config);
        var dir = s.String("PEREGRINE_DEV_KEYS_DIR")?.Trim();
        if (dir is null || RunMode.FromConfiguration(config).Production) return;
        var needAdmin = s.String("PEREGRINE_ADMIN_SECRET", "HASURA_GRAPHQL_ADMIN_SECRET") is null;
        var needJwt = s.String("PEREGRINE_JWT_SECRET", "HASURA_GRAPHQL_JWT_SECRET") is null;
        if (!needAdmin && !needJwt) return;

        var values = new Dictionary<string, string?>();
        var made = new List<string>();
        try
        {
            Directory.CreateDirectory(dir);
            if (needAdmin)
                values["PEREGRINE_ADMIN_SECRET"] = ReadOrCreate(Path.Combine(dir, AdminSecretFile), made,
                    () => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant());
            if (needJwt)
                values["PEREGRINE_JWT_SECRET"] = ReadOrCreate(Path.Combine(dir, JwtSecretFile), made,
                    () => new JsonObject { ["type"] = "HS256", ["key"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant() }
                        .ToJsonString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidSettingException("PEREGRINE_DEV_KEYS_DIR", dir, $"cannot keep development keys there: {e.Message}");
        }
        config.AddInMemoryCollection(values);
        Describe(Path.GetFullPath(dir), needAdmin, needJwt, made);
    }

    private static string ReadOrCreate(string path, List<string> made, Func<string> create)
    {
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            if (text.Length > 0) return text;
        }
        var value = create();
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions
               {
                   Mode = FileMode.Create, Access = FileAccess.Write,
                   UnixCreateMode = OperatingSystem.IsWindows() ? null : UnixFileMode.UserRead | UnixFileMode.UserWrite,
               }))
        using (var writer = new StreamWriter(stream)) writer.WriteLine(value);
        File.Move(temp, path, overwrite: true);
        made.Add(Path.GetFileName(path));
        return value;
    }

    // Where the secrets are and how to use them; never the secrets themselves (logs get copied around).
    private static void Describe(string dir, bool admin, bool jwt, List<string> made)
    {
        System.Console.WriteLine(made.Count > 0
            ? $"Development keys made in {dir} ({string.Join(", ", made)}); later starts reuse them. Not for production."
            : $"Development keys from {dir}. Not for production.");
        if (admin)
            System.Console.WriteLine($"  admin secret: {Path.Combine(dir, AdminSecretFile)} — send it as the x-hasura-admin-secret header (or paste it into /console)");
        if (jwt)
            System.Console.WriteLine($"  JWT secret:   {Path.Combine(dir, JwtSecretFile)} — signs the tokens of /signup/email-password and /signin/email-password; send them as Authorization: Bearer <accessToken>");
    }
}

using Npgsql;

namespace Peregrine.Graph.Configuration;

/// <summary>Accepts Hasura's <c>postgres://user:pass@host:port/db?sslmode=...</c> URLs as well as Npgsql connection strings.</summary>
public static class DatabaseUrl
{
    public static string ToConnectionString(string value)
    {
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return WithDefaults(new NpgsqlConnectionStringBuilder(value));

        var uri = new Uri(value);
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) b.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length > 1) b.Password = Uri.UnescapeDataString(userInfo[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var val = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
                b.SslMode = Enum.Parse<SslMode>(val.Replace("-", ""), ignoreCase: true);
        }
        return WithDefaults(b);
    }

    private static string WithDefaults(NpgsqlConnectionStringBuilder b)
    {
        // Compiled statements repeat with the same text; let Npgsql prepare them server-side.
        if (b.MaxAutoPrepare == 0) b.MaxAutoPrepare = 256;
        if (b.ApplicationName is null) b.ApplicationName = "peregrine";
        // JIT compilation costs tens of milliseconds on the statements an API sends and rarely pays back.
        if (string.IsNullOrEmpty(b.Options)) b.Options = "-c jit=off";
        return b.ConnectionString;
    }
}

using Microsoft.Extensions.Configuration;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Hosting.GraphiQL;

/// <summary>
/// The GraphiQL console (<c>/console</c>, <c>/playground</c>): on with <c>PEREGRINE_ENABLE_CONSOLE=true</c> (or
/// Hasura's <c>HASURA_GRAPHQL_ENABLE_CONSOLE</c>), off by default; <c>./peregrine run</c> turns it on. Its files
/// are the bundle clients/console builds, copied beside the server as <c>console/</c>.
/// </summary>
public sealed class ConsoleOptions
{
    public bool Enabled { get; init; }
    public string Folder { get; init; } = Path.Combine(AppContext.BaseDirectory, "console");

    public static ConsoleOptions FromConfiguration(IConfiguration config)
    {
        var s = new SettingsReader(config);
        var enabled = s.Custom("PEREGRINE_ENABLE_CONSOLE", "HASURA_GRAPHQL_ENABLE_CONSOLE", "expected true or false",
            v => bool.TryParse(v.Trim(), out var b) ? (object)b : throw new FormatException("not a boolean"));
        return new ConsoleOptions { Enabled = enabled is true };
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Peregrine.Graph.Tests.Infrastructure;

/// <summary>
/// h3-js (the reference C library compiled to JS, from npm) run by Node at test time: the independent
/// truth for everything the server does with H3. Needs <c>npm ci</c> in tests/node/h3, which
/// <c>./peregrine test</c> runs first.
/// </summary>
public static class H3Oracle
{
    /// <summary>Runs <paramref name="body"/> (JS with <c>h3</c> and <c>input</c> in scope, returning a value) and parses its JSON result.</summary>
    public static JsonNode Run(string body, JsonNode? input = null)
    {
        var dir = Path.Combine(RepoRoot(), "tests", "node", "h3");
        var script = "const h3 = require('h3-js'); let data = ''; process.stdin.on('data', d => data += d); " +
                     "process.stdin.on('end', () => { const input = JSON.parse(data || 'null'); const out = (() => { " + body + " })(); " +
                     "process.stdout.write(JSON.stringify(out)); });";
        var psi = new ProcessStartInfo("node", ["-e", script])
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(input?.ToJsonString() ?? "null");
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"h3-js oracle failed (is `npm ci` done in {dir}?): {stderr}");
        return JsonNode.Parse(stdout)!;
    }

    /// <summary>Every report's stored resolution-15 cell (hex), by id, read by SQL: what the oracle is asked about.</summary>
    public static async Task<Dictionary<string, string>> StoredCellsAsync(PeregrineFixture fx)
    {
        var rows = (await fx.ScalarAsync<string>("SELECT json_agg(json_build_array(id, to_hex(h3_cell_r15))) FROM phenom_reports WHERE h3_cell_r15 IS NOT NULL"))!;
        return JsonNode.Parse(rows)!.AsArray().ToDictionary(r => r![0]!.GetValue<string>(), r => r![1]!.GetValue<string>());
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Peregrine.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}

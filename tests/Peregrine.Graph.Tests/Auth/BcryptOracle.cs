using System.Diagnostics;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>
/// bcryptjs (npm; a real bcrypt implementation, the kind Hasura Auth and Nhost stored hashes with) run by Node:
/// the hashes migrated users bring. Needs <c>npm ci</c> in tests/node/bcrypt, which <c>./peregrine test</c> runs first.
/// </summary>
internal static class BcryptOracle
{
    /// <summary>bcryptjs's hash of <paramref name="password"/>; <paramref name="minor"/> is the version letter ($2a$ or $2b$).</summary>
    public static string Hash(string password, int cost = 10, char minor = 'b')
    {
        var dir = Path.Combine(RepoRoot(), "tests", "node", "bcrypt");
        var script = "const b = require('bcryptjs'); let pw = ''; process.stdin.on('data', d => pw += d); " +
                     // bcryptjs 3 writes $2b$ salts; given a $2a$ salt (what bcryptjs 2, and so older Hasura Auth, wrote) it hashes as $2a$.
                     $"process.stdin.on('end', () => process.stdout.write(b.hashSync(pw, b.genSaltSync({cost}).replace('$2b$', '$2{minor}$'))));";
        var psi = new ProcessStartInfo("node", ["-e", script])
        {
            WorkingDirectory = dir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(password);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"bcryptjs failed (is `npm ci` done in {dir}?): {stderr}");
        return stdout;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Peregrine.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}

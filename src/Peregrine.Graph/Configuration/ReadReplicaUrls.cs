using System.Text.RegularExpressions;

namespace Peregrine.Graph.Configuration;

/// <summary>
/// <c>PEREGRINE_READ_REPLICA_URLS</c>: comma-separated PostgreSQL URLs or Npgsql connection strings, each in the
/// form the primary's setting takes. A connection string may itself hold commas (<c>Host=a,b</c>), so a comma
/// starts a new replica only when what follows it starts one (a URL scheme or a <c>Key=</c> pair).
/// </summary>
public static partial class ReadReplicaUrls
{
    public static IReadOnlyList<string> Parse(string value)
    {
        var entries = new List<string>();
        foreach (var piece in value.Split(','))
        {
            if (entries.Count > 0 && !StartsEntry().IsMatch(piece)) entries[^1] += "," + piece;
            else entries.Add(piece);
        }
        var result = entries.Select(e => e.Trim()).Where(e => e.Length > 0).Select(DatabaseUrl.ToConnectionString).ToList();
        return result.Count > 0 ? result : throw new FormatException("no replica in the list");
    }

    [GeneratedRegex(@"^\s*(postgres(ql)?://|[A-Za-z][A-Za-z ]*=)", RegexOptions.IgnoreCase)]
    private static partial Regex StartsEntry();
}

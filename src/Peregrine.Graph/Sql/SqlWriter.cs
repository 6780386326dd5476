using System.Text;

namespace Peregrine.Graph.Sql;

/// <summary>
/// Accumulates one statement's text and its parameters. Client values only ever enter as parameters
/// (<c>$n</c>, sent as text and cast by PostgreSQL's input functions); identifiers come from metadata.
/// </summary>
public sealed class SqlWriter
{
    private readonly StringBuilder _sql = new(512);
    private readonly List<object?> _parameters = [];
    private int _aliases;

    public SqlWriter Append(string text) { _sql.Append(text); return this; }
    public SqlWriter Append(char c) { _sql.Append(c); return this; }

    /// <summary>Quotes an identifier taken from metadata.</summary>
    public SqlWriter Ident(string name) { _sql.Append('"').Append(name.Replace("\"", "\"\"")).Append('"'); return this; }

    /// <summary>A string literal for names that come from metadata (JSON keys), never from a client value.</summary>
    public SqlWriter Literal(string text) { _sql.Append('\'').Append(text.Replace("'", "''")).Append('\''); return this; }

    /// <summary>Adds a parameter (a string, a string[], or null) and writes its placeholder.</summary>
    public SqlWriter Param(object? value)
    {
        _sql.Append(AddParameter(value));
        return this;
    }

    /// <summary>Adds a parameter without writing it; returns its placeholder for text assembled elsewhere.</summary>
    public string AddParameter(object? value)
    {
        _parameters.Add(value);
        return "$" + _parameters.Count;
    }

    public string NextAlias(string prefix = "t") => $"_{prefix}{_aliases++}";

    public CompiledStatement Build() => new(_sql.ToString(), _parameters);
}

/// <summary>One parameterised SQL statement whose single row and column is the JSON answer.</summary>
public sealed record CompiledStatement(string Sql, IReadOnlyList<object?> Parameters);

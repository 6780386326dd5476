using System.Text;
using Peregrine.Graph.Sql.Tree;

namespace Peregrine.Graph.Sql;

/// <summary>
/// Accumulates one statement as text and typed parameter slots (<see cref="SqlFragment"/>). Client values only ever
/// enter as parameters (slots rendered <c>$n</c>, sent as text and cast by PostgreSQL's input functions); identifiers
/// come from metadata.
/// </summary>
public sealed class SqlWriter
{
    private readonly StringBuilder _text = new(512);
    private readonly List<SqlPart> _parts = [];
    private readonly List<object?> _parameters = [];
    private int _aliases;

    public SqlWriter Append(string text) { _text.Append(text); return this; }
    public SqlWriter Append(char c) { _text.Append(c); return this; }

    /// <summary>Splices in a fragment whose slots are this statement's (from <see cref="AddParameter"/>).</summary>
    public SqlWriter Append(SqlFragment fragment)
    {
        foreach (var part in fragment.Parts)
        {
            if (part is SqlText t) _text.Append(t.Text);
            else Slot((SqlSlot)part);
        }
        return this;
    }

    /// <summary>Quotes an identifier taken from metadata.</summary>
    public SqlWriter Ident(string name) { _text.Append('"').Append(name.Replace("\"", "\"\"")).Append('"'); return this; }

    /// <summary>A string literal for names that come from metadata (JSON keys), never from a client value.</summary>
    public SqlWriter Literal(string text) { _text.Append('\'').Append(text.Replace("'", "''")).Append('\''); return this; }

    /// <summary>Adds a parameter (a string, a string[], or null) and writes its slot.</summary>
    public SqlWriter Param(object? value) => Append(AddParameter(value));

    /// <summary>Adds a parameter without writing it; returns its slot for a fragment assembled elsewhere.</summary>
    public SqlFragment AddParameter(object? value)
    {
        _parameters.Add(value);
        return SqlFragment.Of(new SqlSlot(_parameters.Count - 1, value is string[] ? SqlType.TextArray : SqlType.Text));
    }

    public string NextAlias(string prefix = "t") => $"_{prefix}{_aliases++}";

    public CompiledStatement Build()
    {
        Flush();
        return new CompiledStatement(new SqlFragment(_parts.ToList()), _parameters.ToList());
    }

    private void Slot(SqlSlot slot)
    {
        Flush();
        _parts.Add(slot);
    }

    private void Flush()
    {
        if (_text.Length == 0) return;
        _parts.Add(new SqlText(_text.ToString()));
        _text.Clear();
    }
}

/// <summary>
/// One parameterised SQL statement whose single row and column is the JSON answer: its tree and its parameter values.
/// The text is rendered once (slots as <c>$n</c>) and shared by every copy with other values.
/// </summary>
public sealed class CompiledStatement
{
    private string? _sql;

    public CompiledStatement(SqlFragment body, IReadOnlyList<object?> parameters) => (Body, Parameters) = (body, parameters);

    private CompiledStatement(SqlFragment body, IReadOnlyList<object?> parameters, string? sql) : this(body, parameters) => _sql = sql;

    public SqlFragment Body { get; }
    public IReadOnlyList<object?> Parameters { get; }

    public string Sql => _sql ??= Body.Render(slot => "$" + (slot.Index + 1));

    /// <summary>The same statement with other values in its slots (a cached plan's next request).</summary>
    public CompiledStatement With(IReadOnlyList<object?> parameters) => new(Body, parameters, Sql);

    /// <summary>A statement written by hand with its own <c>$n</c> placeholders (not compiled: never multiplexed or probed).</summary>
    public static CompiledStatement HandWritten(string sql, IReadOnlyList<object?> parameters) => new(SqlFragment.Of(sql), parameters, sql);
}

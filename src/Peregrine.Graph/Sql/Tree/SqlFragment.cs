using System.Text;

namespace Peregrine.Graph.Sql.Tree;

/// <summary>What a parameter slot holds; PostgreSQL receives every client value as text or text[] and casts it itself.</summary>
public enum SqlType { Text, TextArray }

/// <summary>One piece of a statement: text from metadata and the compiler, or a typed parameter slot.</summary>
public abstract record SqlPart;

/// <summary>SQL text; never a client value.</summary>
public sealed record SqlText(string Text) : SqlPart;

/// <summary>The statement's parameter at <paramref name="Index"/> (0-based): rendered <c>$n</c>, or whatever a later stage places there.</summary>
public sealed record SqlSlot(int Index, SqlType Type) : SqlPart;

/// <summary>
/// A statement, or a piece of one, as a sequence of text and parameter slots. Later stages (the snapshot guard,
/// the multiplexed live-query form, plan probes) build on the slots themselves, never by searching rendered text
/// for <c>$n</c>; the text is rendered once, by <see cref="CompiledStatement.Sql"/>.
/// </summary>
public sealed class SqlFragment
{
    public static readonly SqlFragment Empty = new([]);

    public SqlFragment(IReadOnlyList<SqlPart> parts) => Parts = parts;

    public IReadOnlyList<SqlPart> Parts { get; }

    public IEnumerable<SqlSlot> Slots => Parts.OfType<SqlSlot>();

    /// <summary>Text and fragments in order (a string is text, a fragment is spliced in).</summary>
    public static SqlFragment Of(params object[] pieces)
    {
        var parts = new List<SqlPart>();
        foreach (var piece in pieces)
        {
            switch (piece)
            {
                case string text: Add(parts, new SqlText(text)); break;
                case SqlFragment fragment: foreach (var p in fragment.Parts) Add(parts, p); break;
                case SqlPart part: Add(parts, part); break;
                default: throw new ArgumentException($"not SQL: {piece?.GetType().Name}", nameof(pieces));
            }
        }
        return new SqlFragment(parts);
    }

    // Neighbouring texts merge, so two fragments that render alike have the same parts.
    private static void Add(List<SqlPart> parts, SqlPart part)
    {
        if (part is SqlText { Text.Length: 0 }) return;
        if (part is SqlText next && parts.Count > 0 && parts[^1] is SqlText last) parts[^1] = new SqlText(last.Text + next.Text);
        else parts.Add(part);
    }

    /// <summary>The fragment without trailing white space and then semicolons, to nest it in another statement.</summary>
    public SqlFragment TrimEnd()
    {
        if (Parts.Count == 0 || Parts[^1] is not SqlText last) return this;
        var parts = Parts.ToList();
        parts[^1] = new SqlText(last.Text.TrimEnd().TrimEnd(';'));
        return new SqlFragment(parts);
    }

    /// <summary>The text, each slot written by <paramref name="slot"/>.</summary>
    public string Render(Func<SqlSlot, string> slot)
    {
        var sb = new StringBuilder(Parts.Sum(p => p is SqlText t ? t.Text.Length : 4));
        foreach (var part in Parts)
            sb.Append(part is SqlText t ? t.Text : slot((SqlSlot)part));
        return sb.ToString();
    }

    /// <summary>Same text and same slots in the same places (the values in the slots may differ).</summary>
    public bool SameShape(SqlFragment other) => Parts.SequenceEqual(other.Parts);
}

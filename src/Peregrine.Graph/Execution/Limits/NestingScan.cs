namespace Peregrine.Graph.Execution.Limits;

/// <summary>
/// How deep a GraphQL document's brackets nest, read from its characters before any parser sees it.
/// GraphQLParser recurses once per nested selection set, list or object value; this loop does not, so
/// a megabyte of <c>{{{{</c> or <c>[[[[</c> costs one pass and no stack. Strings, block strings and
/// comments are skipped so brackets inside them do not count.
/// </summary>
public static class NestingScan
{
    /// <summary>True when brackets nest deeper than <paramref name="limit"/> anywhere in <paramref name="text"/>.</summary>
    public static bool Exceeds(ReadOnlySpan<char> text, int limit)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '{' or '[' or '(':
                    if (++depth > limit) return true;
                    break;
                case '}' or ']' or ')':
                    if (depth > 0) depth--;
                    break;
                case '#':
                    while (i < text.Length && text[i] is not ('\n' or '\r')) i++;
                    break;
                case '"':
                    i = SkipString(text, i);
                    break;
            }
        }
        return false;
    }

    // Returns the index of the string's closing quote (or the end of the text when it is unterminated).
    private static int SkipString(ReadOnlySpan<char> text, int start)
    {
        if (text[start..].StartsWith("\"\"\""))
        {
            for (var i = start + 3; i < text.Length; i++)
            {
                if (text[i] == '\\' && text[(i + 1)..].StartsWith("\"\"\"")) { i += 3; continue; }
                if (text[i..].StartsWith("\"\"\"")) return i + 2;
            }
            return text.Length;
        }
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] is '"' or '\n' or '\r') return i;
        }
        return text.Length;
    }
}

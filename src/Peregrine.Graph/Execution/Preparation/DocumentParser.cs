using GraphQLParser;
using GraphQLParser.AST;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Execution.Preparation;

/// <summary>
/// The one place a request's GraphQL text becomes a document. Every later stage takes the
/// <see cref="PreparedOperation"/> built from it, never the text, so an operation is parsed once however many
/// stages (transport, stream detection, live-query analysis, execution) look at it.
/// </summary>
public static class DocumentParser
{
    // Room for the parser's own depth count (AST nodes, two or three per bracket): the nesting scan refuses deeper text first.
    private static readonly ParserOptions Options = new() { Ignore = IgnoreOptions.Comments, MaxDepth = 4 * RequestLimits.MaxNesting + 16 };

    /// <summary>Raised after each parse with the text parsed; tests count parses of their own documents with it.</summary>
    internal static event Action<string>? Parsed;

    /// <exception cref="GraphQLParser.Exceptions.GraphQLSyntaxErrorException">The text is not GraphQL.</exception>
    public static GraphQLDocument Parse(string query)
    {
        var document = Parser.Parse(query, Options);
        Parsed?.Invoke(query);
        return document;
    }
}

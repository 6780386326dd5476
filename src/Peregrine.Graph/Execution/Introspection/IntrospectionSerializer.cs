using System.Text.Encodings.Web;
using GraphQL;
using GraphQL.SystemTextJson;

namespace Peregrine.Graph.Execution.Introspection;

internal static class IntrospectionSerializer
{
    // Relaxed escaping: GraphQL.NET's default would escape ' and other characters in descriptions.
    private static readonly GraphQLSerializer Serializer = new(o => o.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

    public static string Serialize(ExecutionResult result) => Serializer.Serialize(result);
}

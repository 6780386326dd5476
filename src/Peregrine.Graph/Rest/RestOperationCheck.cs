using GraphQL;
using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Schema;

namespace Peregrine.Graph.Rest;

/// <summary>
/// Validates every REST endpoint's operation against the admin schema at start-up (through
/// <c>StartupCheck</c>), so an operation naming a field or argument that does not exist (or breaking another GraphQL
/// validation rule) stops the server with one line naming the endpoint instead of answering every call with
/// <c>validation-failed</c>. The admin schema holds every field; what a role may not see is still refused per
/// request, as for any GraphQL request.
/// </summary>
public static class RestOperationCheck
{
    /// <summary>Throws <see cref="InvalidSettingException"/> for the first endpoint whose operation does not validate.</summary>
    public static async Task RunAsync(RestEndpoints endpoints, RestOptions options, SchemaRegistry schemas)
    {
        var schema = schemas.Admin.Schema;
        foreach (var endpoint in endpoints.All)
        {
            var document = Parser.Parse(endpoint.Query, new ParserOptions { Ignore = IgnoreOptions.Comments });
            var operation = document.Definitions.OfType<GraphQLOperationDefinition>().Single();
            var result = await new DocumentValidator().ValidateAsync(new ValidationOptions
            {
                Schema = schema,
                Document = document,
                Operation = operation,
                Rules = Execution.Validation.ScalarVariablePositions.CoreRulesAndThis,
                UserContext = new Dictionary<string, object?>(),
                Variables = Inputs.Empty,
                RequestServices = null,
            });
            // Variable values come with each call; here only the document is checked, so a required variable
            // without a value is no fault of the endpoint. A variable of the wrong type is (ScalarVariablePositions).
            var error = result.Errors.FirstOrDefault(e => e is not InvalidVariableError);
            if (error is null) continue;
            throw new InvalidSettingException(RestEndpointsFile.Setting, options.EndpointsFile,
                $"endpoint \"{endpoint.Name}\": its operation does not validate against the schema: {error.Message.ReplaceLineEndings(" ")}");
        }
    }
}

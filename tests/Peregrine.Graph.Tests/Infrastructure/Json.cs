using System.Text.Json.Nodes;

namespace Peregrine.Graph.Tests.Infrastructure;

internal static class Json
{
    /// <summary>Fails with the whole response when it carries errors, so a broken query says why.</summary>
    public static JsonNode Data(this JsonNode response)
    {
        Assert.True(response["errors"] is null, response.ToJsonString());
        return response["data"]!;
    }

    public static string ErrorCode(this JsonNode response) =>
        response["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>() ?? $"no error in {response.ToJsonString()}";
}

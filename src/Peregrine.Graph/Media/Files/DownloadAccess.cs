using System.Text.Json.Nodes;
using Peregrine.Domain.Model.Media;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Media.Files;

/// <summary>
/// Who may download a file: its uploader, admins, and anyone whose role may read a <c>phenom_media</c> row
/// that references it. The last is asked of the GraphQL engine itself, as the requester's session, so the
/// role's select permission on <c>phenom_media</c> (and through it the report's visibility) decides, in the
/// database query, exactly as it does for the feed; no second copy of the rules lives here.
/// </summary>
public sealed class DownloadAccess(GraphQLExecutor executor)
{
    internal const string Query = "query MediaFileAccess($id: uuid!) { phenom_media(where: {file_id: {_eq: $id}}, limit: 1) { id } }";

    public async Task<bool> MayDownloadAsync(StoredFile file, Session session, CancellationToken ct)
    {
        if (session.IsAdmin) return true;
        if (UploadPipeline.UserId(session) is { } user && file.UploadedByUserId == user) return true;
        var variables = new JsonObject { ["id"] = file.Id.ToString() };
        var result = await executor.ExecuteAsync(
            new GraphQLRequest(Query, "MediaFileAccess", variables, variables.ToJsonString()), session, ExecutionMode.Http, ct);
        // A role without select on phenom_media fails validation: it may not see any media, so no file through media either.
        if (result.Errors.Count > 0 || result.Data is null) return false;
        var rows = result.Data.Fields.FirstOrDefault(f => f.Key == "phenom_media").Json.ToString();
        return JsonNode.Parse(rows) is JsonArray { Count: > 0 };
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Sensors.Devices;

/// <summary>
/// Runs <c>create_device_credentials</c> / <c>revoke_device_credentials</c>. Only a session that may change the
/// device row (its owner, admin: <see cref="DeviceAccess"/>) may; a device it may not change and a device that
/// does not exist get the same answer, so ids cannot be probed.
/// </summary>
public sealed class DeviceCredentialFields(DeviceAccess access, DeviceCredentialStore store)
{
    public async Task<JsonText> RunAsync(RootField root, List<GraphQLField> nodes, RequestScope scope, string path, CancellationToken ct)
    {
        var args = ValueReader.Arguments(nodes[0], scope);
        var info = root.Kind switch
        {
            RootFieldKind.DeviceCredentialsCreate => await CreateAsync(args, scope.Session, path, ct),
            RootFieldKind.DeviceCredentialsRevoke => await RevokeAsync(args, scope.Session, ct),
            _ => throw new NotSupportedException(root.Kind.ToString()),
        };
        return info is null ? "null" : Render(info, FieldCollector.Collect(FieldCollector.Merge(nodes), DeviceCredentialTypes.TypeName, scope));
    }

    private async Task<DeviceCredentialInfo> CreateAsync(JsonObject args, Session session, string path, CancellationToken ct)
    {
        if (!Guid.TryParse((string?)args["device_id"], out var device))
            throw new DataExceptionError("invalid input syntax for type uuid", path + ".args.device_id");
        if (!await access.CanWriteAsync(session, device, ct))
            throw new PermissionError("check constraint of an insert permission has failed: the device does not exist or is not yours", path);
        return await store.CreateAsync(device, ct);
    }

    // Unknown, or another owner's: null, as a _by_pk mutation answers a row it cannot see.
    private async Task<DeviceCredentialInfo?> RevokeAsync(JsonObject args, Session session, CancellationToken ct)
    {
        var clientId = (string?)args["client_id"] ?? "";
        if (clientId.Length > DeviceCredentialSecrets.MaxLength || await store.DeviceOfAsync(clientId, ct) is not { } device) return null;
        if (!await access.CanWriteAsync(session, device, ct)) return null;
        return await store.RevokeAsync(clientId, ct);
    }

    private static string Render(DeviceCredentialInfo info, List<(string Key, List<GraphQLField> Fields)> selection)
    {
        var o = new JsonObject();
        foreach (var (key, fields) in selection)
            o[key] = fields[0].Name.StringValue switch
            {
                "client_id" => info.ClientId,
                "client_secret" => info.ClientSecret,
                "device_id" => info.DeviceId.ToString("D"),
                "created_at" => Timestamp(info.CreatedAt),
                "revoked_at" => info.RevokedAt is { } r ? Timestamp(r) : null,
                "__typename" => DeviceCredentialTypes.TypeName,
                var other => throw new ValidationFailedError($"field '{other}' not found in type: '{DeviceCredentialTypes.TypeName}'"),
            };
        return o.ToJsonString();
    }

    // PostgreSQL's timestamptz JSON form, as the table fields answer it.
    private static string Timestamp(DateTimeOffset t) => JsonSerializer.Serialize(t.ToUniversalTime()).Trim('"');
}

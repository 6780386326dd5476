using GraphQL.Types;
using Peregrine.Graph.Metadata;
using static Peregrine.Graph.Schema.TypeRefs;

namespace Peregrine.Graph.Schema;

/// <summary>
/// <c>create_device_credentials(device_id)</c> and <c>revoke_device_credentials(client_id)</c>, both answering a
/// <c>device_credentials</c> object. Offered to roles that may create devices (the owners' roles, admin): the
/// device role gets no way to mint itself new credentials.
/// </summary>
internal static class DeviceCredentialTypes
{
    public const string TypeName = "device_credentials";
    public const string CreateField = "create_device_credentials";
    public const string RevokeField = "revoke_device_credentials";

    public static bool Visible(CatalogMetadata catalog) => catalog.FindTable("devices") is { Access.CanInsert: true };

    public static IEnumerable<(FieldType Field, RootField Root)> Mutations()
    {
        yield return (Field(CreateField, Named(TypeName),
                "new OAuth 2.0 client credentials for a device you own; the secret is shown in this answer only",
                new QueryArguments(Arg("device_id", NonNull("uuid")))),
            new RootField(CreateField, RootFieldKind.DeviceCredentialsCreate, "devices"));
        yield return (Field(RevokeField, Named(TypeName),
                "revoke a device's client credentials: tokens are no longer issued for them (issued tokens run out within their hour)",
                new QueryArguments(Arg("client_id", NonNull("String")))),
            new RootField(RevokeField, RootFieldKind.DeviceCredentialsRevoke, "devices"));
    }

    public static IGraphType Type()
    {
        var t = new ObjectGraphType { Name = TypeName, Description = "a device's OAuth 2.0 client (client_secret only when just created)" };
        t.AddField(Field("client_id", NonNull("String")));
        t.AddField(Field("client_secret", Named("String"), "shown once, by create_device_credentials; stored hashed"));
        t.AddField(Field("device_id", NonNull("uuid")));
        t.AddField(Field("created_at", NonNull("timestamptz")));
        t.AddField(Field("revoked_at", Named("timestamptz")));
        return t;
    }
}

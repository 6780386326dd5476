using System.Collections.Concurrent;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Metadata.Permissions;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Schema;

/// <summary>
/// One generated schema per role, built on first use: a role's schema holds only the tables, columns,
/// relationships and root fields its rules allow, so introspection shows each role its own API and a
/// query for anything else fails validation, as in Hasura.
/// </summary>
public sealed class SchemaRegistry(GeneratedSchema admin, PermissionSet permissions)
{
    private readonly ConcurrentDictionary<string, GeneratedSchema> _byRole = new();
    private readonly HashSet<string> _knownRoles = permissions.Roles.ToHashSet();
    // Roles without rules share one empty schema, so arbitrary role names cannot grow the cache.
    private readonly Lazy<GeneratedSchema> _noAccess = new(() => new GeneratedSchema(admin.Catalog.ForRole(permissions, "\0no-rules")));

    public GeneratedSchema Admin => admin;
    public PermissionSet Permissions => permissions;

    public GeneratedSchema For(Session session) =>
        session.IsAdmin ? admin
        : _knownRoles.Contains(session.Role) ? _byRole.GetOrAdd(session.Role, role => new GeneratedSchema(admin.Catalog.ForRole(permissions, role)))
        : _noAccess.Value;
}

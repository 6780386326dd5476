namespace Peregrine.Graph.Metadata;

public enum RelationshipKind { Object, Array, ManyToMany }

/// <summary>
/// A named edge from one table to another. For <see cref="RelationshipKind.ManyToMany"/> the join goes
/// through <see cref="Bridge"/>: local columns map to the bridge's <see cref="BridgeLocalColumns"/>, and
/// the bridge's <see cref="BridgeRemoteColumns"/> map to the remote table's <see cref="RemoteColumns"/>.
/// </summary>
public sealed record RelationshipInfo(
    string Name,
    RelationshipKind Kind,
    string RemoteTable,
    IReadOnlyList<string> LocalColumns,
    IReadOnlyList<string> RemoteColumns,
    string? Bridge = null,
    IReadOnlyList<string>? BridgeLocalColumns = null,
    IReadOnlyList<string>? BridgeRemoteColumns = null)
{
    /// <summary>True when the local row holds the foreign key (insert the remote row first).</summary>
    public bool LocalHoldsForeignKey { get; init; }
}

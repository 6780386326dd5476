using NpgsqlTypes;

namespace Peregrine.Graph.Execution.Replicas;

/// <summary>
/// The primary's WAL position a read must see, for the reads of the current flow: live-query and stream
/// refreshes set it (<see cref="ReadReplicas.PrimaryPositionAsync"/>) before they run, because a refresh is woken by
/// a change that has committed on the primary, and a replica that has not replayed it yet would answer the old
/// result and the subscriber would miss the change until the next one. An ambient value rather than a parameter:
/// the refresh reaches <see cref="SqlRunner"/> through the GraphQL executor, which has no place for it.
/// </summary>
public static class ReadFloor
{
    private static readonly AsyncLocal<NpgsqlLogSequenceNumber?> _current = new();

    /// <summary>Null for ordinary queries: any usable replica will do.</summary>
    public static NpgsqlLogSequenceNumber? Current
    {
        get => _current.Value;
        // Set inside an async method, the value lasts until that method returns (the flow's context is restored).
        set => _current.Value = value;
    }
}

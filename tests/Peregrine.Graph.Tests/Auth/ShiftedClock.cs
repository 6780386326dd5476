namespace Peregrine.Graph.Tests.Auth;

/// <summary>The real clock plus an offset the test moves forward: time travel for token lifetimes.</summary>
internal sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

namespace Peregrine.Domain.Events;

/// <summary>The bus of a single instance (no Redis configured): published messages go straight to the receiver.</summary>
public sealed class InProcessChangeBus : IChangeBus
{
    private IChangeReceiver? _receiver;

    public bool IsShared => false;

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public Task PublishAsync(IReadOnlyList<string> messages, CancellationToken ct)
    {
        ChangeBusMessage.Dispatch(messages, _receiver);
        return Task.CompletedTask;
    }

    public void Subscribe(IChangeReceiver receiver) => _receiver = receiver;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

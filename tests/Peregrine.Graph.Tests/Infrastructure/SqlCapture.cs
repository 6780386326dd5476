using System.Collections.Concurrent;
using System.Diagnostics;

namespace Peregrine.Graph.Tests.Infrastructure;

/// <summary>The statements Npgsql sends to one database while it is alive, read from Npgsql's own tracing.</summary>
public sealed class SqlCapture : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<string> _statements = new();

    public SqlCapture(string database)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                var tags = a.TagObjects.ToDictionary(t => t.Key, t => t.Value?.ToString());
                var db = tags.GetValueOrDefault("db.namespace") ?? tags.GetValueOrDefault("db.name");
                // Npgsql also traces opening physical connections; those are not statements.
                if (db == database && !a.DisplayName.StartsWith("CONNECT", StringComparison.Ordinal))
                    _statements.Enqueue(tags.GetValueOrDefault("db.query.text") ?? tags.GetValueOrDefault("db.statement") ?? a.DisplayName);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<string> Statements => _statements.ToList();

    public void Dispose() => _listener.Dispose();
}

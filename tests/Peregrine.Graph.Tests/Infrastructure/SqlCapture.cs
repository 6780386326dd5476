using System.Collections.Concurrent;
using System.Diagnostics;

namespace Peregrine.Graph.Tests.Infrastructure;

/// <summary>
/// The statements Npgsql sends to one database on behalf of this test, read from Npgsql's own tracing.
/// The capture opens a trace of its own; requests made inside it (the in-process test server carries
/// the ambient activity into the request) belong to that trace, background work of the server does not.
/// </summary>
public sealed class SqlCapture : IDisposable
{
    private static readonly ActivitySource TestSource = new("Peregrine.Tests");
    private readonly ActivityListener _listener;
    private readonly Activity? _trace;
    private readonly ConcurrentQueue<string> _statements = new();

    public SqlCapture(string database)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" or "Peregrine.Tests" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                var tags = a.TagObjects.ToDictionary(t => t.Key, t => t.Value?.ToString());
                var db = tags.GetValueOrDefault("db.namespace") ?? tags.GetValueOrDefault("db.name");
                // Npgsql also traces opening physical connections; those are not statements.
                if (a.Source.Name == "Npgsql" && a.TraceId == _trace?.TraceId
                    && db == database && !a.DisplayName.StartsWith("CONNECT", StringComparison.Ordinal))
                    _statements.Enqueue(tags.GetValueOrDefault("db.query.text") ?? tags.GetValueOrDefault("db.statement") ?? a.DisplayName);
            },
        };
        ActivitySource.AddActivityListener(_listener);
        _trace = TestSource.StartActivity("sql-capture");
    }

    public IReadOnlyList<string> Statements => _statements.ToList();

    public void Dispose()
    {
        _trace?.Dispose();
        _listener.Dispose();
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Validation;
using GraphQLParser.AST;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Execution.Preparation;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sessions;
using Peregrine.Graph.Sql;
using Peregrine.Graph.Sql.Select;

namespace Peregrine.Graph.Subscriptions;

/// <summary>
/// One <c>&lt;table&gt;_stream</c> subscription: the server keeps its cursor, and each run sends the rows past
/// it (at most batch_size, in cursor order) and moves it to the last row sent — so no row is sent twice
/// and none is skipped among rows committed in cursor order. Runs are triggered by change events on the
/// streamed table (and by resyncs), coalesced like live queries; a full batch runs again at once.
/// Streams are not grouped: each cursor is its own.
/// </summary>
internal sealed class StreamSubscription
{
    private static readonly GraphQLSerializer Serializer = new();
    private readonly object _lock = new();
    private readonly GeneratedSchema _schema;
    private readonly SqlRunner _runner;
    private readonly LiveQueryRegistry _registry;
    private readonly ILiveQuerySubscriber _subscriber;
    private readonly RequestScope _scope;
    private readonly Metadata.TableInfo _table;
    private readonly GraphQLSelectionSet? _selection;
    private readonly StreamArgs _args;
    private readonly string _alias;
    private JsonNode? _cursor;
    private JsonNode? _tie;
    private bool _running, _dirty, _stopped;

    private StreamSubscription(GeneratedSchema schema, SqlRunner runner, LiveQueryRegistry registry, ILiveQuerySubscriber subscriber,
        RequestScope scope, Metadata.TableInfo table, GraphQLSelectionSet? selection, StreamArgs args, string alias)
    {
        (_schema, _runner, _registry, _subscriber, _scope, _table, _selection, _args, _alias) =
            (schema, runner, registry, subscriber, scope, table, selection, args, alias);
        _cursor = args.InitialValue;
    }

    public string Table => _table.Name;

    /// <summary>True when the operation's root fields are streams (then <see cref="CreateAsync"/> handles it).</summary>
    public static bool IsStream(PreparedOperation prepared) =>
        prepared.Type == OperationType.Subscription
        && prepared.RootFieldNames.Any(name => StreamFields.FindTable(prepared.Schema.Catalog, name) is not null);

    /// <summary>Builds the stream of a validated operation (<see cref="GraphQLExecutor.ValidateAsync"/>); the errors instead when it cannot run.</summary>
    public static (StreamSubscription?, IReadOnlyList<HasuraError>) Create(SqlRunner runner, LiveQueryRegistry registry,
        PreparedOperation prepared, ILiveQuerySubscriber subscriber)
    {
        var schema = prepared.Schema;
        var operation = prepared.Operation!;
        try
        {
            var scope = new RequestScope(prepared.Document, operation, prepared.Request.Variables, prepared.Session);
            var fields = FieldCollector.Collect(operation.SelectionSet, TypeNames.SubscriptionRoot, scope);
            if (fields.Count != 1)
                throw new ValidationFailedError("a streaming subscription must have exactly one root field");
            var (key, nodes) = fields[0];
            var table = StreamFields.FindTable(schema.Catalog, nodes[0].Name.StringValue)
                ?? throw new ValidationFailedError("a streaming subscription must have exactly one root field");
            var path = $"$.selectionSet.{key}";
            var args = StreamBuilder.ReadArgs(table, ValueReader.Arguments(nodes[0], scope), path);
            var stream = new StreamSubscription(schema, runner, registry, subscriber, scope, table, FieldCollector.Merge(nodes), args, key);
            // Build once now so a bad selection fails here, not on the first event.
            stream.Build();
            return (stream, []);
        }
        catch (HasuraError e) { return (null, [e]); }
    }

    /// <summary>The statement the next run sends: the rows past the cursor.</summary>
    internal CompiledStatement Statement() => SelectSql.CompileList(Build());

    private SelectIr Build() => StreamBuilder.Build(_schema.Catalog, _scope, _table, _selection, _args, _cursor, _tie, $"$.selectionSet.{_alias}");

    public void Stop()
    {
        lock (_lock) _stopped = true;
    }

    public void RequestRefresh()
    {
        lock (_lock)
        {
            if (_stopped) return;
            if (_running) { _dirty = true; return; }
            _running = true;
        }
        _registry.Work.Run(RunAsync, "stream refresh");
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var full = false;
            try
            {
                _registry.Stats.AddRefresh();
                // A refresh follows a change committed on the primary: a replica must have replayed it (see ReadFloor).
                Execution.Replicas.ReadFloor.Current = await _registry.Replicas.PrimaryPositionAsync(ct);
                var json = (await _runner.QueryAsync([Statement()], ct))[0];
                var rows = JsonNode.Parse(json) as JsonArray ?? [];
                if (rows.Count > 0)
                {
                    var last = rows[^1]!.AsObject();
                    _cursor = last[StreamBuilder.CursorAlias]?.DeepClone();
                    _tie = last[StreamBuilder.TieAlias]?.DeepClone();
                    foreach (var row in rows)
                    {
                        row!.AsObject().Remove(StreamBuilder.CursorAlias);
                        row.AsObject().Remove(StreamBuilder.TieAlias);
                    }
                    full = rows.Count >= _args.BatchSize;
                    var payload = new StringBuilder("{\"data\":{").Append(JsonSerializer.Serialize(_alias)).Append(':')
                        .Append(rows.ToJsonString()).Append("}}").ToString();
                    bool stopped;
                    lock (_lock) stopped = _stopped;
                    if (!stopped)
                    {
                        _subscriber.OnNext(payload);
                        _registry.Stats.AddPushes(1);
                    }
                }
            }
            catch (HasuraError e)
            {
                _subscriber.OnNext("{\"errors\":" + ResultJson.Errors([e]) + "}");
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                _registry.Logger.LogStreamFailure(e);
            }
            lock (_lock)
            {
                var again = !_stopped && (_dirty || full);
                _dirty = false;
                _running = again;
                if (!again) return;
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;
using Peregrine.Graph.Execution.Mutations;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sensors.Queries;

namespace Peregrine.Graph.Execution.Preparation;

/// <summary>
/// <c>insert_sensor_readings(objects: $o)</c> as devices and apps send it, run straight from the request's JSON. On
/// the ordinary path GraphQL.NET turns the variables into text, reads them back into its own values and coerces each
/// of the thousand input objects, and all of that is then thrown away, because the field reads the request's JSON
/// anyway: a sixth of a sensor batch's CPU. Here, for the one regular shape, the checks GraphQL.NET would make are
/// made once per document and role (the real validator, run with an empty list) and, per request, by a strict look
/// at the values (<see cref="Coercible"/>): when both pass, GraphQL.NET's answer is known to be "valid", and the
/// field runs exactly as the execution strategy runs it (the mutation quota charged, then
/// <see cref="SensorWrites"/>), inside the executor's own error handling. Anything else — another shape, fragments,
/// directives, a value GraphQL.NET might refuse or read differently — takes the ordinary path, so every error is the
/// one it always was.
/// </summary>
public sealed class SensorInsertShortcut(SensorWrites writes, MutationRateLimiter mutationLimit)
{
    private const string FieldName = "insert_sensor_readings";
    private const string InputType = "sensor_readings_insert_input";

    // What each input field's GraphQL type takes from JSON, for the values this shortcut accepts.
    private static readonly Dictionary<string, (bool Required, JsonValueKind Kind)> Fields = new(StringComparer.Ordinal)
    {
        ["device_id"] = (true, JsonValueKind.String),
        ["sensor"] = (true, JsonValueKind.String),
        ["time"] = (false, JsonValueKind.String),
        ["report_id"] = (false, JsonValueKind.String),
        ["value"] = (false, JsonValueKind.Number),
        ["x"] = (false, JsonValueKind.Number),
        ["y"] = (false, JsonValueKind.Number),
        ["z"] = (false, JsonValueKind.Number),
    };

    // Per parsed document (the executor keeps documents by text): its regular shape, or none.
    private readonly ConditionalWeakTable<GraphQLDocument, Shape?> _shapes = new();
    // Per document and role schema: whether GraphQL.NET found the document valid (given an empty list for $o).
    private readonly ConditionalWeakTable<GraphQLDocument, ConcurrentDictionary<GraphQL.Types.ISchema, bool>> _valid = new();

    private long _runs;

    private long _fromBytes;

    /// <summary>Requests run by the shortcut since start-up (tests see with it which path a request took).</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Of those, the ones whose objects were read straight from the body's bytes.</summary>
    public long RunsFromBytes => Interlocked.Read(ref _fromBytes);

    private sealed record Shape(GraphQLOperationDefinition Operation, GraphQLField Field, string Key, string Variable);

    /// <summary>
    /// The field's answer, or null when the request is not the regular shape (the caller then runs it as always).
    /// Throws what the strategy would throw for the same field (quota, permission, data errors, storage unavailable).
    /// </summary>
    public async Task<RawJsonData?> TryRunAsync(PreparedOperation prepared, ExecutionMode mode, IDocumentValidator validator,
        RequestContext context, CancellationToken ct)
    {
        if (mode != ExecutionMode.Http || prepared.Operation is null) return null;
        var shape = _shapes.GetValue(prepared.Document, d => Match(d, prepared.Operation));
        if (shape is null || !ReferenceEquals(shape.Operation, prepared.Operation)) return null;
        if (prepared.Schema.FindMutationRoot(FieldName) is not { Kind: RootFieldKind.SensorReadingsInsert }) return null;
        // The body read as a sensor batch (Transport.Http.SensorBatchBody, same rules as Coercible), or its JsonNodes.
        var read = prepared.Request.SensorObjects is { } sent && sent.Variable == shape.Variable ? sent : null;
        JsonArray? objects = null;
        if (read is null && (prepared.Request.Variables?[shape.Variable] is not JsonArray nodes || nodes.Count > SensorWrites.MaxObjects || !Coercible(objects = nodes)))
            return null;
        if (!await ValidAsync(prepared, shape, validator, context, ct)) return null;

        Interlocked.Increment(ref _runs);
        if (read is not null) Interlocked.Increment(ref _fromBytes);
        // As DatabaseExecutionStrategy runs a mutation whose only root field is a sensor insert.
        await new MutationQuota(mutationLimit, prepared.Session).ChargeOnceAsync(ct);
        var path = $"$.selectionSet.{shape.Key}";
        string json;
        if (read is null)
        {
            var scope = new RequestScope(prepared.Document, prepared.Operation, prepared.Request.Variables, prepared.Session);
            json = await writes.InsertObjectsAsync(objects!, shape.Field.SelectionSet, scope, path, ct);
        }
        else
        {
            // The shape's selection reads no variable (no arguments, no directives): the scope goes without them.
            var scope = new RequestScope(prepared.Document, prepared.Operation, null, prepared.Session);
            json = await writes.InsertObjectsAsync(read.Objects, () => (JsonArray)prepared.Request.Variables![shape.Variable]!,
                shape.Field.SelectionSet, scope, path, ct);
        }
        return new RawJsonData([(shape.Key, json)]);
    }

    // mutation [Name]($o: [sensor_readings_insert_input!]!) { [alias:] insert_sensor_readings(objects: $o) { affected_rows __typename } }
    // and nothing else: no other definitions, no directives, no default value, no fragments.
    private static Shape? Match(GraphQLDocument document, GraphQLOperationDefinition operation)
    {
        if (document.Definitions.Count != 1 || operation.Operation != OperationType.Mutation || operation.Directives is { Count: > 0 }) return null;
        if (operation.Variables is not { Count: 1 } variables) return null;
        var variable = variables.Items[0];
        if (variable.DefaultValue is not null || variable.Directives is { Count: > 0 }
            || variable.Type is not GraphQLNonNullType { Type: GraphQLListType { Type: GraphQLNonNullType { Type: GraphQLNamedType { Name.StringValue: InputType } } } })
            return null;
        if (operation.SelectionSet.Selections is not { Count: 1 } roots || roots[0] is not GraphQLField field
            || field.Name.StringValue != FieldName || field.Directives is { Count: > 0 }) return null;
        if (field.Arguments is not { Count: 1 } args || args.Items[0].Name.StringValue != "objects"
            || args.Items[0].Value is not GraphQLVariable used || used.Name.StringValue != variable.Variable.Name.StringValue) return null;
        if (field.SelectionSet is not { Selections.Count: > 0 } selection) return null;
        foreach (var s in selection.Selections)
            if (s is not GraphQLField { Name.StringValue: "affected_rows" or "__typename", Arguments: null or { Count: 0 }, Directives: null or { Count: 0 }, SelectionSet: null })
                return null;
        return new Shape(operation, field, field.Alias?.Name.StringValue ?? FieldName, variable.Variable.Name.StringValue);
    }

    /// <summary>
    /// True only for values GraphQL.NET surely coerces and reads as the field does: every element an object of known
    /// fields, the required ones strings, the others strings, finite numbers or null as their type says.
    /// </summary>
    internal static bool Coercible(JsonArray objects)
    {
        foreach (var item in objects)
        {
            if (item is not JsonObject o) return false;
            var required = 0;
            foreach (var (name, value) in o)
            {
                if (!Fields.TryGetValue(name, out var field)) return false;
                if (value is null)
                {
                    if (field.Required) return false;
                    continue;
                }
                if (value is not JsonValue v || v.GetValueKind() != field.Kind) return false;
                if (field.Kind == JsonValueKind.Number && !(v.TryGetValue<double>(out var d) && double.IsFinite(d))) return false;
                if (field.Required) required++;
            }
            if (required != 2) return false;
        }
        return true;
    }

    // The real validator, once per document and role: the document's own rules do not depend on the list's contents.
    private async Task<bool> ValidAsync(PreparedOperation prepared, Shape shape, IDocumentValidator validator, RequestContext context, CancellationToken ct)
    {
        var bySchema = _valid.GetValue(prepared.Document, _ => new ConcurrentDictionary<GraphQL.Types.ISchema, bool>());
        if (bySchema.TryGetValue(prepared.Schema.Schema, out var known)) return known;
        var result = await validator.ValidateAsync(new ValidationOptions
        {
            Schema = prepared.Schema.Schema,
            Document = prepared.Document,
            Operation = prepared.Operation!,
            Variables = new Inputs(new Dictionary<string, object?> { [shape.Variable] = new List<object?>() }),
            // Not the prepared operation's context: this result must not be kept as the request's own validation.
            UserContext = new RequestContext
            {
                Session = context.Session, Schema = context.Schema, Variables = new JsonObject(), Mode = context.Mode,
                ValidationTimeout = context.ValidationTimeout,
            },
            RequestServices = null,
            CancellationToken = ct,
        });
        bySchema[prepared.Schema.Schema] = result.IsValid;
        return result.IsValid;
    }
}

using GraphQL.Validation;

namespace Peregrine.Graph.Execution.Preparation;

/// <summary>
/// The one validation path: GraphQL.NET's executor and the subscriptions that do not run through it (streams,
/// sensor_readings_live) both validate here, with the same rules and time budget
/// (<see cref="Limits.BudgetedDocumentValidator"/>). The result is kept on the <see cref="PreparedOperation"/>, so a
/// live query refreshed a thousand times is validated once.
/// </summary>
internal sealed class OperationValidator(IDocumentValidator inner) : IDocumentValidator
{
    public Task<IValidationResult> ValidateAsync(in ValidationOptions options)
    {
        if (options.UserContext is not RequestContext { Prepared: { } prepared } || !ReferenceEquals(options.Schema, prepared.Schema.Schema))
            return inner.ValidateAsync(options);
        if (prepared.ValidationFor(options.Schema) is { } kept) return Task.FromResult(kept);
        return ValidateAndKeepAsync(inner.ValidateAsync(options), prepared);
    }

    private static async Task<IValidationResult> ValidateAndKeepAsync(Task<IValidationResult> validating, PreparedOperation prepared)
    {
        var result = await validating;
        prepared.KeepValidation(prepared.Schema, result);
        return result;
    }
}

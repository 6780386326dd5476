using GraphQL.Validation;

namespace Peregrine.Graph.Execution.Limits;

/// <summary>
/// GraphQL.NET's validation with a time budget that ends the work: the validation context's cancellation
/// token is cancelled when the budget is spent, and GraphQL.NET's visitors check it at every node, so the
/// thread stops validating instead of finishing late. The budget is the request's
/// (<see cref="RequestContext.ValidationTimeout"/>).
/// </summary>
public sealed class BudgetedDocumentValidator(IDocumentValidator inner) : IDocumentValidator
{
    public Task<IValidationResult> ValidateAsync(in ValidationOptions options)
    {
        var budget = (options.UserContext as RequestContext)?.ValidationTimeout;
        return budget is null ? inner.ValidateAsync(options) : ValidateWithinAsync(options, budget.Value);
    }

    private async Task<IValidationResult> ValidateWithinAsync(ValidationOptions options, TimeSpan budget)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        timer.CancelAfter(budget);
        var outer = options.CancellationToken;
        try
        {
            return await inner.ValidateAsync(options with { CancellationToken = timer.Token });
        }
        catch (OperationCanceledException) when (!outer.IsCancellationRequested)
        {
            throw new ValidationTimeoutException();
        }
    }
}

/// <summary>Validation ran past the request's budget and was stopped.</summary>
public sealed class ValidationTimeoutException() : Exception("validation ran past its time budget");

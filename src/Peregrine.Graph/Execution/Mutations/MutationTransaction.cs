using System.Text.Json;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Sql.Mutation;

namespace Peregrine.Graph.Execution.Mutations;

/// <summary>
/// A mutation's database root fields, in order, in one transaction: each step writes, its rows are checked against
/// the role's insert/update check, then read back for the answer. Any failure rolls back every field.
/// </summary>
internal static class MutationTransaction
{
    public static Task RunAsync(SqlRunner runner, IReadOnlyList<(int Index, IReadOnlyList<MutationPlan> Plans, bool IsList)> mutations,
        JsonText?[] results, CancellationToken ct) =>
        runner.InTransactionAsync(async tx =>
        {
            foreach (var (index, plans, isList) in mutations)
            {
                var answers = new List<string>(plans.Count);
                foreach (var plan in plans) answers.Add(await RunStepAsync(tx, plan));
                results[index] = isList ? "[" + string.Join(",", answers) + "]" : answers[0];
            }
            return true;
        }, ct);

    private static async Task<string> RunStepAsync(SqlRunner.Transaction tx, MutationPlan plan)
    {
        var written = await tx.ScalarAsync(plan.Write);
        if (plan.ReadBack is null) return written;
        using var doc = JsonDocument.Parse(written);
        var root = doc.RootElement;
        if (plan.Checks is { Count: > 0 } checks)
        {
            var keyLists = root.GetProperty("checks");
            for (var i = 0; i < checks.Count; i++)
            {
                var failing = await tx.ScalarAsync(CheckSql.Compile(checks[i].Table, checks[i].Check, keyLists[i].GetRawText()));
                if (failing != "0")
                    throw new PermissionError("check constraint of an insert/update permission has failed");
            }
        }
        var affected = root.GetProperty("affected_rows").GetInt64();
        var keys = root.GetProperty("keys");
        return await tx.ScalarAsync(plan.ReadBack(affected, keys.ValueKind == JsonValueKind.Null ? "[]" : keys.GetRawText()));
    }
}

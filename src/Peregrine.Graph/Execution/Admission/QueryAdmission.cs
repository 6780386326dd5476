using System.Globalization;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Execution.Admission;

/// <summary>
/// Decides how a query runs before anything runs: refuses one whose estimated size is over its role's node
/// limit (<c>PEREGRINE_MAX_NODES</c>, admin <c>PEREGRINE_ADMIN_MAX_NODES</c>), sends one estimated to read more
/// than <c>PEREGRINE_HEAVY_QUERY_ROWS</c> rows to the <see cref="HeavyQueryLane"/>, and gives it its role's time
/// limit in PostgreSQL (<c>PEREGRINE_QUERY_TIMEOUT_MS</c>, admin <c>PEREGRINE_ADMIN_QUERY_TIMEOUT_MS</c>).
/// </summary>
public sealed class QueryAdmission(PeregrineOptions options, StatisticsCache statistics)
{
    public async ValueTask<QueryRun> AdmitAsync(IEnumerable<object> rootIrs, Session session, CancellationToken ct)
    {
        var (maxNodes, nodesSetting) = session.IsAdmin ? (options.AdminMaxNodes, "PEREGRINE_ADMIN_MAX_NODES") : (options.MaxNodes, "PEREGRINE_MAX_NODES");
        var (timeout, timeoutSetting) = session.IsAdmin
            ? (options.AdminQueryTimeoutMs, "PEREGRINE_ADMIN_QUERY_TIMEOUT_MS")
            : (options.QueryTimeoutMs, "PEREGRINE_QUERY_TIMEOUT_MS");
        var stats = await statistics.GetAsync(ct);
        var cost = rootIrs.Aggregate(default(QueryCost), (sum, ir) => sum + QueryCostEstimator.Estimate(ir, stats));
        if (maxNodes > 0 && cost.Nodes > maxNodes)
            throw new ValidationFailedError(string.Create(CultureInfo.InvariantCulture,
                $"the query is estimated to return {cost.Nodes:F0} nodes, more than the node limit of {maxNodes} for role '{session.Role}' ({nodesSetting}); add a limit to its array relationships"));
        return new QueryRun(cost.Rows > options.HeavyQueryRows, timeout, timeoutSetting,
            Math.Max(options.QueryTimeoutMs, options.AdminQueryTimeoutMs) / 1000 + 5);
    }
}

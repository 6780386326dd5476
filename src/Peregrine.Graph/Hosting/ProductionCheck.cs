using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Hosting;

/// <summary>
/// A production server without an admin secret would let anyone act as admin, and one without a JWT secret
/// would accept no user: both are refused at start-up, one line and exit 2, rather than discovered later.
/// </summary>
public static class ProductionCheck
{
    public static void Run(IServiceProvider services)
    {
        if (!services.GetRequiredService<RunMode>().Production) return;
        var options = services.GetRequiredService<PeregrineOptions>();
        if (options.AdminSecret is null)
            throw new InvalidSettingException("PEREGRINE_ADMIN_SECRET", "",
                "required in production (PEREGRINE_ENV=production or ASPNETCORE_ENVIRONMENT=Production); or HASURA_GRAPHQL_ADMIN_SECRET");
        if (options.JwtSecret is null)
            throw new InvalidSettingException("PEREGRINE_JWT_SECRET", "",
                "required in production (PEREGRINE_ENV=production or ASPNETCORE_ENVIRONMENT=Production); or HASURA_GRAPHQL_JWT_SECRET, e.g. {\"type\":\"HS256\",\"key\":\"<32+ characters>\"}");
    }
}

namespace Peregrine.Graph.Errors;

/// <summary>A verified JWT whose Hasura claims lack <c>x-hasura-default-role</c> or <c>x-hasura-allowed-roles</c>.</summary>
public sealed class JwtMissingRoleClaimsError(string message, string path = "$") : HasuraError("jwt-missing-role-claims", message, path);

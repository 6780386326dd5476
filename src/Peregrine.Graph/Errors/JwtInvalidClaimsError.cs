namespace Peregrine.Graph.Errors;

/// <summary>A verified JWT whose claims namespace is absent or not in the configured <c>claims_format</c>.</summary>
public sealed class JwtInvalidClaimsError(string message, string path = "$") : HasuraError("jwt-invalid-claims", message, path);

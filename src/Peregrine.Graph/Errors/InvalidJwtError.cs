namespace Peregrine.Graph.Errors;

/// <summary>An expired, forged, unsigned or otherwise unverifiable JWT (Hasura: "Could not verify JWT: ...").</summary>
public sealed class InvalidJwtError(string message, string path = "$") : HasuraError("invalid-jwt", message, path);

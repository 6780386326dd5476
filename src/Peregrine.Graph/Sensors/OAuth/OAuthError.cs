using System.Text.Json.Serialization;

namespace Peregrine.Graph.Sensors.OAuth;

/// <summary>An RFC 6749 §5.2 error answer: <c>{"error", "error_description"}</c> with its HTTP status.</summary>
public sealed class OAuthError(int status, string error, string description) : Exception(description)
{
    public int Status { get; } = status;
    public string Error { get; } = error;
    /// <summary>Set when the client tried HTTP Basic: §5.2 then requires 401 with a <c>WWW-Authenticate</c> challenge.</summary>
    public bool Challenge { get; init; }

    public static OAuthError InvalidRequest(string why) => new(400, "invalid_request", why);
    public static OAuthError UnsupportedGrantType(string grant) => new(400, "unsupported_grant_type", $"grant_type '{grant}' is not supported; use client_credentials");
    public static OAuthError InvalidClient(bool basic) => new(401, "invalid_client", "client authentication failed") { Challenge = basic };
}

/// <summary>The JSON body of an error answer.</summary>
public sealed record OAuthErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description);

/// <summary>The JSON body of a token answer (RFC 6749 §5.1).</summary>
public sealed record OAuthTokenBody(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

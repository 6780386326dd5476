using Peregrine.Graph.Tests.Auth;

namespace Peregrine.Graph.Tests.Infrastructure;

internal static class RoleClients
{
    /// <summary>A client carrying a real HS256 JWT whose only allowed (and default) role is <paramref name="role"/>.</summary>
    public static HttpClient ClientAs(this PeregrineFixture fx, string role, string? userId = null)
    {
        var client = fx.Factory.CreateClient();
        var token = TestTokens.Sign(TestTokens.Payload(TestTokens.HasuraClaims(role, [role], userId)));
        client.DefaultRequestHeaders.Add("Authorization", $"Bearer {token}");
        return client;
    }
}

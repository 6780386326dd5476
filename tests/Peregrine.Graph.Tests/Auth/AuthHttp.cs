using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>Calls to the auth endpoints as an Nhost client makes them: JSON in, JSON out, bearer token when signed in.</summary>
internal static class AuthHttp
{
    public sealed record Reply(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)
    {
        public string? Error => Body?["error"]?.GetValue<string>();
        public JsonNode Ok()
        {
            Assert.True(Status == HttpStatusCode.OK, $"{(int)Status}: {Body?.ToJsonString()}");
            return Body!;
        }
    }

    public static Task<Reply> PostAsync(HttpClient client, string path, object body, string? accessToken = null) =>
        SendAsync(client, HttpMethod.Post, path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"), accessToken);

    public static Task<Reply> PostRawAsync(HttpClient client, string path, string body) =>
        SendAsync(client, HttpMethod.Post, path, new StringContent(body, Encoding.UTF8, "application/json"), null);

    public static Task<Reply> GetAsync(HttpClient client, string path, string? accessToken = null) =>
        SendAsync(client, HttpMethod.Get, path, null, accessToken);

    private static async Task<Reply> SendAsync(HttpClient client, HttpMethod method, string path, HttpContent? content, string? accessToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (accessToken is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    public static string NewEmail(string what) => $"{what}-{Guid.NewGuid():N}@example.com".ToLowerInvariant();

    public const string Password = "correct horse battery staple";

    public static async Task<JsonNode> SignUpAsync(HttpClient client, string email, string password = Password, object? options = null)
    {
        var reply = await PostAsync(client, "/signup/email-password", options is null ? new { email, password } : new { email, password, options });
        return reply.Ok()["session"]!;
    }
}

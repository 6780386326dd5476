using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Peregrine.Graph.Tests.Media;

/// <summary>The app's upload calls, as a client makes them over HTTP.</summary>
internal static class MediaHttp
{
    public sealed record Reply(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response, string Text = "")
    {
        public string? Error => Body?["error"]?.GetValue<string>();
        public string? Message => Body?["message"]?.GetValue<string>();
    }

    public static async Task<Reply> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json") body = JsonNode.Parse(text);
        return new Reply(response.StatusCode, body, response, text);
    }

    public static Task<Reply> PresignAsync(HttpClient client, string name, string mimeType, long size) =>
        SendAsync(client, new HttpRequestMessage(HttpMethod.Post, "/v1/files/presigned-upload")
        {
            Content = JsonContent.Create(new { name, mimeType, size }),
        });

    // The upload URL carries its own credential: a client sends it nothing else (no session, which on S3 would
    // also hand the user's token to the storage server).
    private static readonly HttpClient Plain = new() { Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Sends the bytes exactly as the presign answer says: its URL, method and headers, and nothing else.</summary>
    public static Task<Reply> UploadAsync(HttpClient client, JsonNode presigned, byte[] bytes, string? urlOverride = null)
    {
        _ = client;
        var request = new HttpRequestMessage(new HttpMethod(presigned["method"]!.GetValue<string>()), urlOverride ?? presigned["uploadUrl"]!.GetValue<string>())
        {
            Content = new ByteArrayContent(bytes),
        };
        foreach (var (name, value) in presigned["headers"]!.AsObject())
            if (!request.Content.Headers.TryAddWithoutValidation(name, value!.GetValue<string>()))
                request.Headers.TryAddWithoutValidation(name, value.GetValue<string>());
        return SendAsync(Plain, request);
    }

    public static Task<Reply> CompleteAsync(HttpClient client, Guid id) =>
        SendAsync(client, new HttpRequestMessage(HttpMethod.Post, $"/v1/files/{id}/complete"));

    /// <summary>presign → PUT → complete; returns the presign answer and the complete reply.</summary>
    public static async Task<(Guid Id, JsonNode Presigned, Reply Complete)> UploadFileAsync(HttpClient client, string name, string mimeType, byte[] bytes)
    {
        var presign = await PresignAsync(client, name, mimeType, bytes.Length);
        Assert.True(presign.Status == HttpStatusCode.OK, $"presign: {(int)presign.Status} {presign.Body?.ToJsonString()}");
        var put = await UploadAsync(client, presign.Body!, bytes);
        Assert.True(put.Status == HttpStatusCode.OK, $"upload: {(int)put.Status} {put.Text}");
        var id = Guid.Parse(presign.Body!["id"]!.GetValue<string>());
        return (id, presign.Body!, await CompleteAsync(client, id));
    }

    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, RangeHeaderValue? range = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (range is not null) request.Headers.Range = range;
        return await client.SendAsync(request);
    }
}

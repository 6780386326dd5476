using System.Net;
using System.Net.Sockets;
using System.Text;
using Peregrine.Graph.Tests.Auth;

namespace Peregrine.Graph.Tests.Media;

/// <summary>The media server with clamd scanning on (the clamd that <c>./peregrine services start</c> runs, PEREGRINE_CLAMAV_URL).</summary>
public sealed class ScannedMediaFixture : MediaFixture
{
    public static string ClamAvUrl => Environment.GetEnvironmentVariable("PEREGRINE_CLAMAV_URL")
        ?? throw new InvalidOperationException("PEREGRINE_CLAMAV_URL is not set: run the tests through ./peregrine test (it starts clamd)");

    protected override IEnumerable<(string Key, string Value)> ExtraSettings() => [("PEREGRINE_CLAMAV_URL", ClamAvUrl)];
}

/// <summary>
/// Uploads go through a real clamd over INSTREAM: a file carrying the test signature (written by the services
/// script) is rejected and deleted; clean files pass; with the scanner unreachable, complete answers 503
/// <c>scanner-unavailable</c>, the upload stays staged, and it completes once a scanner answers.
/// </summary>
public sealed class VirusScanTests(ScannedMediaFixture fx) : IClassFixture<ScannedMediaFixture>
{
    // The marker of the services script's Peregrine.Test.Marker signature.
    private static readonly byte[] Marker = "PEREGRINE-TEST-VIRUS-SIGNATURE-7f3a"u8.ToArray();

    private async Task<HttpClient> SignUpAsync(string who, Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>? host = null)
    {
        var session = await AuthHttp.SignUpAsync(fx.Client(host), AuthHttp.NewEmail(who));
        var client = fx.Client(host);
        client.DefaultRequestHeaders.Authorization = new("Bearer", session["accessToken"]!.GetValue<string>());
        return client;
    }

    [Fact]
    public async Task Infected_upload_is_rejected_and_deleted_clean_one_passes()
    {
        var client = await SignUpAsync("scan");
        // A real JPEG with the signature in a trailing comment: the type checks pass, only the scan can catch it.
        var infected = MediaFiles.Jpeg().Concat(Encoding.ASCII.GetBytes("...")).Concat(Marker).ToArray();
        var (id, _, refused) = await MediaHttp.UploadFileAsync(client, "i.jpg", "image/jpeg", infected);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Equal("invalid-file", refused.Error);
        Assert.Contains("Peregrine.Test.Marker", refused.Message);
        Assert.Empty(await fx.ObjectsOfAsync(id));
        Assert.Equal("rejected", await fx.ScalarAsync<string>("SELECT status FROM files WHERE id = $1", id));

        // Across chunk boundaries too: the marker straddles the validator's 64 KB reads.
        var big = new byte[200_000];
        MediaFiles.Jpeg().CopyTo(big, 0);
        Marker.CopyTo(big, 65536 - 10);
        var (bigId, _, bigRefused) = await MediaHttp.UploadFileAsync(client, "b.jpg", "image/jpeg", big);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bigRefused.Status);
        Assert.Empty(await fx.ObjectsOfAsync(bigId));

        var (_, _, clean) = await MediaHttp.UploadFileAsync(client, "c.jpg", "image/jpeg", MediaFiles.Jpeg());
        Assert.Equal(HttpStatusCode.OK, clean.Status);
    }

    [Fact]
    public async Task Scanner_down_keeps_the_upload_staged_with_503()
    {
        // A port nothing listens on: bind one, note it, release it.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var deadPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var down = fx.StartHost([("PEREGRINE_CLAMAV_URL", $"tcp://127.0.0.1:{deadPort}")]);
        var client = await SignUpAsync("down", down);

        var jpeg = MediaFiles.Jpeg();
        var presign = await MediaHttp.PresignAsync(client, "a.jpg", "image/jpeg", jpeg.Length);
        Assert.Equal(HttpStatusCode.OK, (await MediaHttp.UploadAsync(client, presign.Body!, jpeg)).Status);
        var id = Guid.Parse(presign.Body!["id"]!.GetValue<string>());
        var complete = await MediaHttp.CompleteAsync(client, id);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, complete.Status);
        Assert.Equal("scanner-unavailable", complete.Error);
        Assert.Equal("staged", await fx.ScalarAsync<string>("SELECT status FROM files WHERE id = $1", id));
        Assert.Single(await fx.ObjectsOfAsync(id));
        using (var get = await MediaHttp.GetAsync(client, $"/v1/files/{id}"))
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);

        // The same upload completes through a server whose scanner answers (same database and storage).
        var session = client.DefaultRequestHeaders.Authorization!;
        var healthy = fx.Client();
        healthy.DefaultRequestHeaders.Authorization = session;
        var retried = await MediaHttp.CompleteAsync(healthy, id);
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal("valid", retried.Body!["status"]!.GetValue<string>());
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Media.Staging;
using Peregrine.Graph.Tests.Auth;

namespace Peregrine.Graph.Tests.Media;

/// <summary>
/// The staging purge as the running server does it: with PEREGRINE_STORAGE_STAGING_TTL_HOURS set to a few
/// seconds, an upload that is never completed disappears (row and bytes) by itself, an orphaned staged object
/// goes too, and completed files are left alone.
/// </summary>
public sealed class StagingPurgeTests(MediaFixture fx) : IClassFixture<MediaFixture>
{
    [Fact]
    public async Task Uploads_never_completed_are_purged_after_the_ttl()
    {
        var (client, _) = (fx.Client(), 0);
        var session = await AuthHttp.SignUpAsync(client, AuthHttp.NewEmail("purge"));
        client.DefaultRequestHeaders.Authorization = new("Bearer", session["accessToken"]!.GetValue<string>());

        var (kept, _, done) = await MediaHttp.UploadFileAsync(client, "k.jpg", "image/jpeg", MediaFiles.Jpeg());
        Assert.Equal(HttpStatusCode.OK, done.Status);
        var jpeg = MediaFiles.Jpeg();
        var presign = await MediaHttp.PresignAsync(client, "a.jpg", "image/jpeg", jpeg.Length);
        await MediaHttp.UploadAsync(client, presign.Body!, jpeg);
        var abandoned = Guid.Parse(presign.Body!["id"]!.GetValue<string>());
        var orphan = Guid.NewGuid();
        var orphanPath = Path.Combine(fx.StoragePath, "staging", orphan.ToString("N"));
        await File.WriteAllBytesAsync(orphanPath, [1, 2, 3]);
        Assert.Single(fx.ObjectsOf(abandoned));

        // 0.001 h = 3.6 s; the purge looks every half second.
        await using var purging = fx.StartHost([("PEREGRINE_STORAGE_STAGING_TTL_HOURS", "0.001"), ("PEREGRINE_STORAGE_PURGE_INTERVAL_SECONDS", "0.5")]);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline &&
               (fx.ObjectsOf(abandoned).Length > 0 || File.Exists(orphanPath) ||
                await fx.ScalarAsync<long>("SELECT count(*) FROM files WHERE id = $1", abandoned) > 0))
            await Task.Delay(250);

        Assert.Empty(fx.ObjectsOf(abandoned));
        Assert.False(File.Exists(orphanPath));
        Assert.Equal(0L, await fx.ScalarAsync<long>("SELECT count(*) FROM files WHERE id = $1", abandoned));
        Assert.Equal("valid", await fx.ScalarAsync<string>("SELECT status FROM files WHERE id = $1", kept));
        Assert.NotEmpty(fx.ObjectsOf(kept));
        using var stillThere = await MediaHttp.GetAsync(client, $"/v1/files/{kept}");
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    [Fact]
    public async Task A_fresh_upload_survives_a_purge_round()
    {
        var client = fx.Client();
        var session = await AuthHttp.SignUpAsync(client, AuthHttp.NewEmail("fresh"));
        client.DefaultRequestHeaders.Authorization = new("Bearer", session["accessToken"]!.GetValue<string>());
        var jpeg = MediaFiles.Jpeg();
        var presign = await MediaHttp.PresignAsync(client, "a.jpg", "image/jpeg", jpeg.Length);
        await MediaHttp.UploadAsync(client, presign.Body!, jpeg);
        var id = Guid.Parse(presign.Body!["id"]!.GetValue<string>());

        // The default TTL (24 h): a round now deletes nothing of this upload, one a day later does.
        var purge = fx.Factory.Services.GetRequiredService<StagingPurgeService>();
        await purge.PurgeOnceAsync(DateTimeOffset.UtcNow, default);
        Assert.Single(fx.ObjectsOf(id));
        Assert.True(await purge.PurgeOnceAsync(DateTimeOffset.UtcNow.AddHours(25), default) >= 1);
        Assert.Empty(fx.ObjectsOf(id));
    }
}

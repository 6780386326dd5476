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
public abstract class StagingPurgeTests(MediaFixture fx)
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
        await fx.PutOrphanStagedAsync(orphan);
        Assert.Single(await fx.ObjectsOfAsync(abandoned));

        // 0.001 h = 3.6 s; the purge looks every half second.
        await using var purging = fx.StartHost([("PEREGRINE_STORAGE_STAGING_TTL_HOURS", "0.001"), ("PEREGRINE_STORAGE_PURGE_INTERVAL_SECONDS", "0.5")]);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline &&
               ((await fx.ObjectsOfAsync(abandoned)).Length > 0 || (await fx.ObjectsOfAsync(orphan)).Length > 0 ||
                await fx.ScalarAsync<long>("SELECT count(*) FROM files WHERE id = $1", abandoned) > 0))
            await Task.Delay(250);

        Assert.Empty(await fx.ObjectsOfAsync(abandoned));
        Assert.Empty(await fx.ObjectsOfAsync(orphan));
        Assert.Equal(0L, await fx.ScalarAsync<long>("SELECT count(*) FROM files WHERE id = $1", abandoned));
        Assert.Equal("valid", await fx.ScalarAsync<string>("SELECT status FROM files WHERE id = $1", kept));
        Assert.NotEmpty(await fx.ObjectsOfAsync(kept));
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
        Assert.Single(await fx.ObjectsOfAsync(id));
        Assert.True(await purge.PurgeOnceAsync(DateTimeOffset.UtcNow.AddHours(25), default) >= 1);
        Assert.Empty(await fx.ObjectsOfAsync(id));
    }
}

public sealed class LocalStagingPurgeTests(MediaFixture fx) : StagingPurgeTests(fx), IClassFixture<MediaFixture>;

public sealed class S3StagingPurgeTests(S3MediaFixture fx) : StagingPurgeTests(fx), IClassFixture<S3MediaFixture>;

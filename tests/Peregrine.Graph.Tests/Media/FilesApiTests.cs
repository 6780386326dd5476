using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Peregrine.Graph.Tests.Auth;

namespace Peregrine.Graph.Tests.Media;

/// <summary>The rest of the files API over real HTTP: direct multipart upload, GraphQL access to files, the media
/// rules the database enforces, presigned download URLs, conditional and HEAD requests, transforms, delete, and
/// the per-user request limit.</summary>
public abstract class FilesApiTests(MediaFixture fx)
{
    private async Task<(HttpClient Client, Guid UserId)> SignUpAsync(string who)
    {
        var session = await AuthHttp.SignUpAsync(fx.Client(), AuthHttp.NewEmail(who));
        return (fx.ClientWithToken(session["accessToken"]!.GetValue<string>()), Guid.Parse(session["user"]!["id"]!.GetValue<string>()));
    }

    private static MultipartFormDataContent Form(params (string Field, string? FileName, string ContentType, byte[] Bytes)[] parts)
    {
        var form = new MultipartFormDataContent();
        foreach (var (field, fileName, contentType, bytes) in parts)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            if (fileName is null) form.Add(content, field); else form.Add(content, field, fileName);
        }
        return form;
    }

    [Fact]
    public async Task Multipart_fields_cannot_take_another_files_id_or_make_the_server_read_a_huge_field()
    {
        var (owner, ownerId) = await SignUpAsync("idowner");
        var (other, _) = await SignUpAsync("idthief");
        var id = Guid.NewGuid();
        HttpContent Upload(params (string, string?, string, byte[])[] extra) => Form([
            ("metadata[]", null, "application/json", System.Text.Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}")),
            ("file[]", "a.png", "image/png", MediaFiles.Png()), .. extra]);
        var first = await MediaHttp.SendAsync(owner, new HttpRequestMessage(HttpMethod.Post, "/v1/files") { Content = Upload() });
        Assert.True(first.Status == HttpStatusCode.Created, first.Body?.ToJsonString());

        var taken = await MediaHttp.SendAsync(other, new HttpRequestMessage(HttpMethod.Post, "/v1/files") { Content = Upload() });
        Assert.Equal(HttpStatusCode.Conflict, taken.Status);
        Assert.Equal(ownerId, await fx.ScalarAsync<Guid>("SELECT uploaded_by_user_id FROM files WHERE id = $1", id));

        var huge = await MediaHttp.SendAsync(owner, new HttpRequestMessage(HttpMethod.Post, "/v1/files")
        {
            Content = Form(("bucket-id", null, "text/plain", new byte[20 * 1024])),
        });
        Assert.Equal(HttpStatusCode.BadRequest, huge.Status);
        Assert.Equal("bucket-id is too large", huge.Message);
    }

    [Fact]
    public async Task Multipart_upload_validates_each_file_and_answers_processed_files()
    {
        var (client, userId) = await SignUpAsync("multi");
        var jpeg = MediaFiles.Jpeg(1200, 800);
        var png = MediaFiles.Png();
        var namedId = Guid.NewGuid();
        var reply = await MediaHttp.SendAsync(client, new HttpRequestMessage(HttpMethod.Post, "/v1/files")
        {
            Content = Form(
                ("bucket-id", null, "text/plain", "default"u8.ToArray()),
                ("metadata[]", null, "application/json", System.Text.Encoding.UTF8.GetBytes($"{{\"id\":\"{namedId}\",\"name\":\"renamed.jpg\"}}")),
                ("file[]", "photo.jpg", "image/jpeg", jpeg),
                ("file[]", "red.png", "image/png", png)),
        });
        Assert.True(reply.Status == HttpStatusCode.Created, reply.Body?.ToJsonString());
        var files = reply.Body!["processedFiles"]!.AsArray();
        Assert.Equal(2, files.Count);
        Assert.Equal(namedId.ToString(), files[0]!["id"]!.GetValue<string>());
        Assert.Equal("renamed.jpg", files[0]!["name"]!.GetValue<string>());
        Assert.Equal("red.png", files[1]!["name"]!.GetValue<string>());
        Assert.All(files, f => Assert.Equal("valid", f!["status"]!.GetValue<string>()));
        Assert.Equal(jpeg.Length, files[0]!["size"]!.GetValue<long>());
        Assert.Equal(2L, await fx.ScalarAsync<long>(
            "SELECT count(*) FROM files WHERE uploaded_by_user_id = $1 AND status = 'valid' AND thumbnail_key LIKE 'thumbnails/%.webp'", userId));

        // The thumbnail is a 256-px WebP of the photo; the photo itself comes back byte for byte.
        using (var thumb = await MediaHttp.GetAsync(client, files[0]!["thumbnailUrl"]!.GetValue<string>()))
        {
            Assert.Equal("image/webp", thumb.Content.Headers.ContentType!.MediaType);
            using var image = NetVips.Image.NewFromBuffer(await thumb.Content.ReadAsByteArrayAsync());
            Assert.Equal((256, 171), (image.Width, image.Height));
        }
        using (var original = await MediaHttp.GetAsync(client, $"/v1/files/{namedId}"))
            Assert.Equal(jpeg, await original.Content.ReadAsByteArrayAsync());

        var bad = await MediaHttp.SendAsync(client, new HttpRequestMessage(HttpMethod.Post, "/v1/files")
        {
            Content = Form(("file[]", "setup.png", "image/png", MediaFiles.Exe())),
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
        Assert.Equal("declared image/png, content is application/x-dosexec", bad.Message);

        var empty = await MediaHttp.SendAsync(client, new HttpRequestMessage(HttpMethod.Post, "/v1/files")
        {
            Content = Form(("bucket-id", null, "text/plain", "default"u8.ToArray())),
        });
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Equal("bad-request", empty.Error);
    }

    [Fact]
    public async Task Graphql_files_show_a_user_only_their_own_files_and_admins_all()
    {
        var (mine, me) = await SignUpAsync("files-a");
        var (theirs, them) = await SignUpAsync("files-b");
        var (a, _, _) = await MediaHttp.UploadFileAsync(mine, "a.jpg", "image/jpeg", MediaFiles.Jpeg());
        await MediaHttp.UploadFileAsync(mine, "b.png", "image/png", MediaFiles.Png());
        var (c, _, _) = await MediaHttp.UploadFileAsync(theirs, "c.png", "image/png", MediaFiles.Png());

        var query = """
            query($other: uuid!) {
              files(order_by: {name: asc}) { id name status mime_type uploaded_by_user_id }
              files_aggregate { aggregate { count sum { size } } }
              other: files_by_pk(id: $other) { id }
            }
            """;
        var result = await MediaFixture.GraphQLAsync(mine, query, new { other = c });
        Assert.True(result["errors"] is null, result.ToJsonString());
        var rows = result["data"]!["files"]!.AsArray();
        Assert.Equal(["a.jpg", "b.png"], rows.Select(r => r!["name"]!.GetValue<string>()).ToArray());
        Assert.All(rows, r => Assert.Equal(me.ToString(), r!["uploaded_by_user_id"]!.GetValue<string>()));
        Assert.Equal(await fx.ScalarAsync<long>("SELECT count(*) FROM files WHERE uploaded_by_user_id = $1", me),
            result["data"]!["files_aggregate"]!["aggregate"]!["count"]!.GetValue<long>());
        Assert.Equal(await fx.ScalarAsync<decimal>("SELECT sum(size) FROM files WHERE uploaded_by_user_id = $1", me),
            result["data"]!["files_aggregate"]!["aggregate"]!["sum"]!["size"]!.GetValue<decimal>());
        Assert.Null(result["data"]!["other"]);

        // Storage internals are not in a user's schema; admins see every row and every column.
        var internals = await MediaFixture.GraphQLAsync(mine, "{ files { storage_key } }");
        Assert.Equal("validation-failed", internals["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        var admin = await MediaFixture.GraphQLAsync(fx.AdminClient(), "query($a: uuid!) { files_by_pk(id: $a) { storage_key } files_aggregate { aggregate { count } } }", new { a });
        Assert.StartsWith("images/", admin["data"]!["files_by_pk"]!["storage_key"]!.GetValue<string>());
        Assert.Equal(await fx.ScalarAsync<long>("SELECT count(*) FROM files"), admin["data"]!["files_aggregate"]!["aggregate"]!["count"]!.GetValue<long>());
        _ = them;
    }

    private async Task<(HttpClient Client, Guid UserId)> SignUpOnAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host, string who)
    {
        var session = await AuthHttp.SignUpAsync(fx.Client(host), AuthHttp.NewEmail(who));
        var client = fx.Client(host);
        client.DefaultRequestHeaders.Authorization = new("Bearer", session["accessToken"]!.GetValue<string>());
        return (client, Guid.Parse(session["user"]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Multipart_requests_are_bounded_by_file_count_and_total_bytes_and_a_refused_one_stores_nothing()
    {
        var png = MediaFiles.Png();
        var jpeg = MediaFiles.Jpeg(1200, 800);
        Assert.True(jpeg.Length > 3 * png.Length);
        // Two files a request; their bytes together at most one JPEG and a bit (so two JPEGs are too much, a JPEG and a PNG are not).
        var budget = jpeg.Length + png.Length + 100;
        var host = fx.StartHost([("PEREGRINE_STORAGE_MAX_FILES_PER_REQUEST", "2"), ("PEREGRINE_STORAGE_MAX_REQUEST_BYTES", budget.ToString())]);
        var (client, userId) = await SignUpOnAsync(host, "bounded");
        async Task<MediaHttp.Reply> PostAsync(bool chunked, params (string, string?, string, byte[])[] parts)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/files") { Content = Form(parts) };
            // Chunked: no Content-Length to refuse up front, so the server has to count the bytes as they stream.
            if (chunked) request.Headers.TransferEncodingChunked = true;
            return await MediaHttp.SendAsync(client, request);
        }
        (string, string?, string, byte[]) Named(Guid id) => ("metadata[]", null, "application/json", System.Text.Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}"));

        // The third file is refused, and the two before it (already validated) are removed with the request.
        var first = Guid.NewGuid();
        var tooMany = await PostAsync(false, Named(first), ("file[]", "1.png", "image/png", png), ("file[]", "2.png", "image/png", png), ("file[]", "3.png", "image/png", png));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.Status);
        Assert.Equal("too-many-files", tooMany.Error);
        Assert.Equal("a request may carry at most 2 file[] parts", tooMany.Message);
        Assert.Equal(0L, await fx.ScalarAsync<long>("SELECT count(*) FROM files WHERE uploaded_by_user_id = $1", userId));
        Assert.Empty(await fx.ObjectsOfAsync(first));

        // Over the byte budget while streaming: the second JPEG stops at the budget; the first goes too.
        var streamed = await PostAsync(true, Named(first), ("file[]", "1.jpg", "image/jpeg", jpeg), ("file[]", "2.jpg", "image/jpeg", jpeg));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.Status);
        Assert.Equal("request-too-large", streamed.Error);
        Assert.Equal(0L, await fx.ScalarAsync<long>("SELECT count(*) FROM files WHERE uploaded_by_user_id = $1", userId));
        Assert.Empty(await fx.ObjectsOfAsync(first));

        // A declared length far beyond the budget is refused before the body is read.
        var declared = await PostAsync(false, ("file[]", "big.jpg", "image/jpeg", new byte[budget + 2 * 1024 * 1024]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.Status);
        Assert.Equal("request-too-large", declared.Error);

        // Endless small parts are not read forever (bucket-id and a metadata[] per file at most).
        var parts = await PostAsync(true, Enumerable.Range(0, 6).Select(_ => Named(Guid.NewGuid())).ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, parts.Status);
        Assert.Equal("a request may carry at most 5 form parts", parts.Message);

        // Within both bounds the request goes through.
        var fine = await PostAsync(true, ("file[]", "1.jpg", "image/jpeg", jpeg), ("file[]", "2.png", "image/png", png));
        Assert.True(fine.Status == HttpStatusCode.Created, fine.Text);
        Assert.Equal(2L, await fx.ScalarAsync<long>("SELECT count(*) FROM files WHERE uploaded_by_user_id = $1 AND status = 'valid'", userId));
    }

    [Fact]
    public async Task A_public_url_base_names_final_objects_in_file_metadata_and_in_phenom_media()
    {
        const string cdn = "https://cdn.example.test/media";
        var host = fx.StartHost([("PEREGRINE_STORAGE_PUBLIC_URL", cdn + "/")]);
        var (client, _) = await SignUpOnAsync(host, "cdn");
        var (id, _, complete) = await MediaHttp.UploadFileAsync(client, "a.jpg", "image/jpeg", MediaFiles.Jpeg());
        Assert.True(complete.Status == HttpStatusCode.OK, complete.Text);
        var key = await fx.ScalarAsync<string>("SELECT storage_key FROM files WHERE id = $1", id);
        var thumbnailKey = await fx.ScalarAsync<string>("SELECT thumbnail_key FROM files WHERE id = $1", id);
        Assert.StartsWith("images/", key);
        Assert.StartsWith("thumbnails/", thumbnailKey);
        Assert.Equal($"{cdn}/{thumbnailKey}", complete.Body!["thumbnailUrl"]!.GetValue<string>());
        Assert.Equal($"{cdn}/{key}", await fx.ScalarAsync<string>("SELECT url FROM files WHERE id = $1", id));

        var report = await MediaFixture.GraphQLAsync(client, """
            mutation($r: phenom_reports_insert_input!) { insert_phenom_reports_one(object: $r) { id media { url thumbnail_url } } }
            """, new { r = new { location = new { type = "Point", coordinates = new[] { 10.0, 50.0 } }, timestamp = DateTimeOffset.UtcNow,
                media = new { data = new[] { new { file_id = id, type = "image" } } } } });
        Assert.True(report["errors"] is null, report.ToJsonString());
        var media = report["data"]!["insert_phenom_reports_one"]!["media"]![0]!;
        Assert.Equal($"{cdn}/{key}", media["url"]!.GetValue<string>());
        Assert.Equal($"{cdn}/{thumbnailKey}", media["thumbnail_url"]!.GetValue<string>());
        Assert.Equal($"{cdn}/{key}", await fx.ScalarAsync<string>("SELECT url FROM phenom_media WHERE file_id = $1", id));

        // Without the setting (the fixture's main server) URLs stay Peregrine's own.
        var (own, _) = await SignUpAsync("own");
        var (ownId, _, ownComplete) = await MediaHttp.UploadFileAsync(own, "b.jpg", "image/jpeg", MediaFiles.Jpeg());
        Assert.EndsWith($"/v1/files/{ownId}/thumbnail", ownComplete.Body!["thumbnailUrl"]!.GetValue<string>());
        Assert.EndsWith($"/v1/files/{ownId}", await fx.ScalarAsync<string>("SELECT url FROM files WHERE id = $1", ownId));
    }

    [Fact]
    public async Task Media_naming_a_file_takes_its_urls_and_only_valid_files_can_be_named()
    {
        var (client, _) = await SignUpAsync("media");
        var (valid, _, done) = await MediaHttp.UploadFileAsync(client, "a.jpg", "image/jpeg", MediaFiles.Jpeg());
        var (rejected, _, _) = await MediaHttp.UploadFileAsync(client, "b.png", "image/png", MediaFiles.Exe());
        var staged = await MediaHttp.PresignAsync(client, "c.jpg", "image/jpeg", 100);
        var stagedId = Guid.Parse(staged.Body!["id"]!.GetValue<string>());

        const string insert = """
            mutation($r: phenom_reports_insert_input!) { insert_phenom_reports_one(object: $r) { id media { url thumbnail_url file { id status } } } }
            """;
        object Report(object media) => new
        {
            r = new { location = new { type = "Point", coordinates = new[] { 10.0, 50.0 } }, timestamp = DateTimeOffset.UtcNow, media = new { data = new[] { media } } },
        };

        var ok = await MediaFixture.GraphQLAsync(client, insert, Report(new { file_id = valid, type = "image", thumbnail_url = "https://evil.example/t.png" }));
        Assert.True(ok["errors"] is null, ok.ToJsonString());
        var media = ok["data"]!["insert_phenom_reports_one"]!["media"]![0]!;
        Assert.Equal(await fx.ScalarAsync<string>("SELECT url FROM files WHERE id = $1", valid), media["url"]!.GetValue<string>());
        Assert.Equal(done.Body!["thumbnailUrl"]!.GetValue<string>(), media["thumbnail_url"]!.GetValue<string>());
        Assert.Equal("valid", media["file"]!["status"]!.GetValue<string>());

        // A plain URL without a file keeps working as before.
        var plain = await MediaFixture.GraphQLAsync(client, insert, Report(new { url = "https://cdn.example/old.jpg", type = "image" }));
        Assert.Equal("https://cdn.example/old.jpg", plain["data"]!["insert_phenom_reports_one"]!["media"]![0]!["url"]!.GetValue<string>());

        // Rejected and never-completed files cannot be named, by a user or even by an admin.
        foreach (var bad in new[] { rejected, stagedId })
        {
            var refused = await MediaFixture.GraphQLAsync(client, insert, Report(new { file_id = bad, type = "image" }));
            Assert.NotNull(refused["errors"]);
            var admin = await MediaFixture.GraphQLAsync(fx.AdminClient(), """
                mutation($m: phenom_media_insert_input!) { insert_phenom_media_one(object: $m) { id } }
                """, new { m = new { report_id = Guid.Parse(ok["data"]!["insert_phenom_reports_one"]!["id"]!.GetValue<string>()), file_id = bad, type = "image", url = "x" } });
            Assert.Equal("constraint-violation", admin["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
            Assert.Equal(0L, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_media WHERE file_id = $1", bad));
        }
    }

    [Fact]
    public async Task Presigned_download_urls_conditional_requests_head_and_transforms()
    {
        var (client, _) = await SignUpAsync("dl");
        var jpeg = MediaFiles.Jpeg(800, 600);
        var (id, _, complete) = await MediaHttp.UploadFileAsync(client, "p.jpg", "image/jpeg", jpeg);
        var etag = complete.Body!["etag"]!.GetValue<string>();
        Assert.Equal($"\"{Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(jpeg))}\"", etag);

        var presigned = await MediaHttp.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, $"/v1/files/{id}/presignedurl"));
        Assert.Equal(3600, presigned.Body!["expiration"]!.GetValue<int>());
        var url = presigned.Body!["url"]!.GetValue<string>();
        using (var anonymous = await MediaHttp.GetAsync(fx.Client(), url))
            Assert.Equal(jpeg, await anonymous.Content.ReadAsByteArrayAsync());
        var signatureAt = url.IndexOf(fx.IsLocal ? "signature=" : "X-Amz-Signature=", StringComparison.Ordinal) + (fx.IsLocal ? 10 : 16);
        var forgedUrl = url[..signatureAt] + (url[signatureAt] == 'a' ? 'b' : 'a') + url[(signatureAt + 1)..];
        if (fx.IsLocal) // S3 presigned GETs are checked by the storage server (s3rver does not check query signatures).
            using (var forged = await MediaHttp.GetAsync(fx.Client(), forgedUrl))
                Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);

        var conditional = new HttpRequestMessage(HttpMethod.Get, $"/v1/files/{id}");
        conditional.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        using (var notModified = await client.SendAsync(conditional))
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v1/files/{id}")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(jpeg.Length, head.Content.Headers.ContentLength);
            Assert.Equal("bytes", head.Headers.AcceptRanges.Single());
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }

        using (var resized = await MediaHttp.GetAsync(client, $"/v1/files/{id}?w=200&f=png"))
        {
            Assert.Equal("image/png", resized.Content.Headers.ContentType!.MediaType);
            using var image = NetVips.Image.NewFromBuffer(await resized.Content.ReadAsByteArrayAsync());
            Assert.Equal((200, 150), (image.Width, image.Height));
        }
        using (var byHeight = await MediaHttp.GetAsync(client, $"/v1/files/{id}?h=60&q=50&f=jpeg"))
        {
            using var image = NetVips.Image.NewFromBuffer(await byHeight.Content.ReadAsByteArrayAsync());
            Assert.Equal((80, 60), (image.Width, image.Height));
        }
        foreach (var bad in new[] { "w=5000", "h=0", "q=101", "f=gif", "w=abc" })
        {
            var refused = await MediaHttp.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, $"/v1/files/{id}?{bad}"));
            Assert.True(refused.Status == HttpStatusCode.BadRequest, bad);
            Assert.Equal("bad-request", refused.Error);
        }
        Assert.Contains(await fx.ObjectsOfAsync(id), p => p.Contains("transforms"));
    }

    [Fact]
    public async Task Delete_is_for_the_uploader_and_removes_every_object()
    {
        var (owner, _) = await SignUpAsync("del-a");
        var (other, _) = await SignUpAsync("del-b");
        var (id, _, _) = await MediaHttp.UploadFileAsync(owner, "a.jpg", "image/jpeg", MediaFiles.Jpeg());
        using (await MediaHttp.GetAsync(owner, $"/v1/files/{id}?w=64")) { }
        Assert.True((await fx.ObjectsOfAsync(id)).Length >= 3); // the file, its thumbnail and a cached transform

        var refused = await MediaHttp.SendAsync(other, new HttpRequestMessage(HttpMethod.Delete, $"/v1/files/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
        var completeByOther = await MediaHttp.CompleteAsync(other, id);
        Assert.Equal(HttpStatusCode.NotFound, completeByOther.Status);

        var deleted = await MediaHttp.SendAsync(owner, new HttpRequestMessage(HttpMethod.Delete, $"/v1/files/{id}"));
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Empty(await fx.ObjectsOfAsync(id));
        Assert.Equal(0L, await fx.ScalarAsync<long>("SELECT count(*) FROM files WHERE id = $1", id));
        using var gone = await MediaHttp.GetAsync(owner, $"/v1/files/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var notAnId = await MediaHttp.SendAsync(owner, new HttpRequestMessage(HttpMethod.Get, "/v1/files/not-a-uuid"));
        Assert.Equal(HttpStatusCode.NotFound, notAnId.Status);
        Assert.Equal("not-found", notAnId.Error);
    }

    [Fact]
    public async Task Hostile_presign_bodies_and_missing_sessions_get_clear_errors()
    {
        var (client, _) = await SignUpAsync("hostile");
        foreach (var body in new[] { "", "[]", "{\"mimeType\":\"image/png\"}", "{\"size\":-1,\"mimeType\":\"image/png\"}", "{\"size\":\"12\",\"mimeType\":\"image/png\"}", "{\"size\":10}", "{" })
        {
            var reply = await MediaHttp.SendAsync(client, new HttpRequestMessage(HttpMethod.Post, "/v1/files/presigned-upload")
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            });
            Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{body}: {(int)reply.Status}");
            Assert.Equal("bad-request", reply.Error);
        }
        var unsupported = await MediaHttp.PresignAsync(client, "a.exe", "application/x-msdownload", 10);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unsupported.Status);
        Assert.Equal("invalid-file", unsupported.Error);

        var anonymous = await MediaHttp.PresignAsync(fx.Client(), "a.jpg", "image/jpeg", 10);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal("access-denied", anonymous.Error);
        var badJwt = fx.ClientWithToken("not.a.jwt");
        Assert.Equal(HttpStatusCode.Unauthorized, (await MediaHttp.PresignAsync(badJwt, "a.jpg", "image/jpeg", 10)).Status);
    }

    [Fact]
    public async Task Upload_requests_share_the_per_user_limit_of_mutations()
    {
        await using var limited = fx.StartHost([("PEREGRINE_MUTATIONS_PER_SECOND", "3")]);
        var session = await AuthHttp.SignUpAsync(fx.Client(limited), AuthHttp.NewEmail("limit"));
        var client = fx.Client(limited);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session["accessToken"]!.GetValue<string>());
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++) statuses.Add((await MediaHttp.PresignAsync(client, "a.jpg", "image/jpeg", 10)).Status);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= 3);
        var limitedReply = await MediaHttp.PresignAsync(client, "a.jpg", "image/jpeg", 10);
        if (limitedReply.Status == HttpStatusCode.TooManyRequests)
        {
            Assert.Equal("too-many-requests", limitedReply.Error);
            Assert.NotNull(limitedReply.Response.Headers.RetryAfter);
        }
    }
}

public sealed class LocalFilesApiTests(MediaFixture fx) : FilesApiTests(fx), IClassFixture<MediaFixture>;

public sealed class S3FilesApiTests(S3MediaFixture fx) : FilesApiTests(fx), IClassFixture<S3MediaFixture>;

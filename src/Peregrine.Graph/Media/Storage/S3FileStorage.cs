using System.Net;
using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Peregrine.Graph.Media.Storage;

/// <summary>
/// Files in two private S3 buckets (PEREGRINE_S3_*): uploads land in the staging bucket through a presigned
/// PUT (the bytes never pass through Peregrine), validated files are copied into the final bucket. Every
/// object is written with server-side encryption (SSE-S3, AES256). Works against AWS, MinIO and s3rver
/// (path-style addressing, no streaming checksums).
/// </summary>
public sealed class S3FileStorage : IFileStorage, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly MediaOptions.S3Settings _s3;
    private readonly Protocol _protocol;
    private readonly object _bucketsLock = new();
    private Task? _bucketsTask;
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "peregrine-s3-uploads");

    public S3FileStorage(MediaOptions options)
    {
        _s3 = options.S3;
        var config = new AmazonS3Config
        {
            ForcePathStyle = _s3.ForcePathStyle,
            AuthenticationRegion = _s3.Region,
            // S3 servers other than AWS (s3rver, older MinIO) do not speak the SDK's default request checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (_s3.Endpoint is { } endpoint) config.ServiceURL = endpoint;
        else config.RegionEndpoint = RegionEndpoint.GetBySystemName(_s3.Region);
        _protocol = _s3.Endpoint?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS;
        _client = _s3.AccessKey is { } key && _s3.SecretKey is { } secret
            ? new AmazonS3Client(new BasicAWSCredentials(key, secret), config)
            : new AmazonS3Client(config);
        Directory.CreateDirectory(_temp);
    }

    public IAmazonS3 Client => _client;
    public string StagingBucket => _s3.StagingBucket;
    public string FinalBucket => _s3.FinalBucket;

    public Task EnsureReadyAsync(CancellationToken ct) => Buckets();

    // Once per process; a failed attempt (S3 unreachable) is retried by the next call instead of being remembered.
    private Task Buckets()
    {
        lock (_bucketsLock)
        {
            if (_bucketsTask is null || _bucketsTask.IsFaulted || _bucketsTask.IsCanceled) _bucketsTask = EnsureBucketsAsync();
            return _bucketsTask;
        }
    }

    public static string StagedKey(Guid id) => id.ToString("N");

    public PresignedRequest? PresignStagedUpload(Guid id, string mimeType, long size, DateTimeOffset expiresAt)
    {
        var url = _client.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = _s3.StagingBucket,
            Key = StagedKey(id),
            Verb = HttpVerb.PUT,
            Expires = expiresAt.UtcDateTime,
            ContentType = mimeType,
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
            Protocol = _protocol,
        });
        // Signed headers: the client must send exactly these.
        return new PresignedRequest(url, "PUT", new Dictionary<string, string>
        {
            ["Content-Type"] = mimeType,
            ["x-amz-server-side-encryption"] = "AES256",
        });
    }

    public async Task<long> WriteStagedAsync(Guid id, Stream content, string mimeType, long limit, CancellationToken ct)
    {
        await Buckets();
        // A direct upload's length is unknown until it ends: spool it to a temporary file (counted against the
        // limit, never held in memory), then send it with its length.
        var temp = Path.Combine(_temp, Guid.NewGuid().ToString("N"));
        try
        {
            long total = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = await content.ReadAsync(buffer, ct)) > 0)
                {
                    total += n;
                    if (total > limit) throw new FileTooLargeException(limit);
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                }
            }
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _s3.StagingBucket, Key = StagedKey(id), FilePath = temp, ContentType = mimeType,
                ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256, UseChunkEncoding = false,
            }, ct);
            return total;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task<StoredObject?> OpenStagedAsync(Guid id, CancellationToken ct)
    {
        await Buckets();
        try
        {
            var response = await _client.GetObjectAsync(_s3.StagingBucket, StagedKey(id), ct);
            return new StoredObject(response.ResponseStream, response.ContentLength, response.LastModified ?? DateTime.UtcNow);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteStagedAsync(Guid id, CancellationToken ct)
    {
        await Buckets();
        await _client.DeleteObjectAsync(_s3.StagingBucket, StagedKey(id), ct);
    }

    public async IAsyncEnumerable<(Guid Id, DateTimeOffset LastModified)> ListStagedAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await Buckets();
        var request = new ListObjectsV2Request { BucketName = _s3.StagingBucket };
        ListObjectsV2Response page;
        do
        {
            page = await _client.ListObjectsV2Async(request, ct);
            foreach (var o in page.S3Objects ?? [])
                if (Guid.TryParseExact(o.Key, "N", out var id)) yield return (id, o.LastModified ?? DateTime.UtcNow);
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
    }

    public async Task PromoteAsync(Guid id, string key, string mimeType, CancellationToken ct)
    {
        await Buckets();
        try
        {
            // Server-side copy: the bytes stay in S3.
            await _client.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = _s3.StagingBucket, SourceKey = StagedKey(id),
                DestinationBucket = _s3.FinalBucket, DestinationKey = key,
                ContentType = mimeType, MetadataDirective = S3MetadataDirective.REPLACE,
                ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
            }, ct);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            // The staging bucket exists (the object was just read from it), so the server misread the SDK's
            // URL-encoded x-amz-copy-source (s3rver decodes it with decodeURI, which leaves %2F). Copy through a
            // temporary file instead.
            await using var staged = await OpenStagedAsync(id, ct) ?? throw new FileNotFoundException("staged object vanished", StagedKey(id));
            var temp = Path.Combine(_temp, Guid.NewGuid().ToString("N"));
            try
            {
                await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                    await staged.Content.CopyToAsync(file, 1 << 16, ct);
                await _client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = _s3.FinalBucket, Key = key, FilePath = temp, ContentType = mimeType,
                    ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256, UseChunkEncoding = false,
                }, ct);
            }
            finally
            {
                File.Delete(temp);
            }
        }
        await _client.DeleteObjectAsync(_s3.StagingBucket, StagedKey(id), ct);
    }

    public async Task PutFinalAsync(string key, Stream content, string mimeType, CancellationToken ct)
    {
        await Buckets();
        await _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _s3.FinalBucket, Key = key, InputStream = content, ContentType = mimeType, AutoCloseStream = false,
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256, UseChunkEncoding = false,
        }, ct);
    }

    public async Task<StoredObject?> OpenFinalAsync(string key, CancellationToken ct)
    {
        await Buckets();
        try
        {
            var head = await _client.GetObjectMetadataAsync(_s3.FinalBucket, key, ct);
            var stream = new S3RangeStream(_client, _s3.FinalBucket, key, head.ContentLength);
            return new StoredObject(stream, head.ContentLength, head.LastModified ?? DateTime.UtcNow);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteFinalAsync(string key, CancellationToken ct)
    {
        await Buckets();
        await _client.DeleteObjectAsync(_s3.FinalBucket, key, ct);
    }

    public async Task DeleteFinalPrefixAsync(string prefix, CancellationToken ct)
    {
        await Buckets();
        var page = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _s3.FinalBucket, Prefix = prefix }, ct);
        foreach (var o in page.S3Objects ?? []) await _client.DeleteObjectAsync(_s3.FinalBucket, o.Key, ct);
    }

    public string? PresignFinalDownload(string key, DateTimeOffset expiresAt) =>
        _client.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = _s3.FinalBucket, Key = key, Verb = HttpVerb.GET, Expires = expiresAt.UtcDateTime, Protocol = _protocol,
        });

    // Creates the buckets on first use when they do not exist (s3rver and MinIO start empty); on AWS they are made by the operator.
    private async Task EnsureBucketsAsync()
    {
        foreach (var bucket in new[] { _s3.StagingBucket, _s3.FinalBucket })
        {
            try
            {
                await _client.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists" || e.StatusCode == HttpStatusCode.Conflict)
            {
            }
        }
    }

    public void Dispose() => _client.Dispose();
}

using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Media.Storage;

namespace Peregrine.Graph.Tests.Media;

/// <summary>
/// The media server on the S3 backend, against the real s3rver that <c>./peregrine services start</c> runs
/// (PEREGRINE_S3_ENDPOINT and its credentials from <c>./peregrine services env</c>). Each fixture gets its own
/// pair of buckets, so parallel test classes and their purges never see each other's objects.
/// </summary>
public sealed class S3MediaFixture : MediaFixture
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];

    private static string Env(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run the tests through ./peregrine test (it starts s3rver)");

    protected override IEnumerable<(string Key, string Value)> ExtraSettings() =>
    [
        ("PEREGRINE_STORAGE", "s3"),
        ("PEREGRINE_S3_ENDPOINT", Env("PEREGRINE_S3_ENDPOINT")),
        ("PEREGRINE_S3_ACCESS_KEY", Env("PEREGRINE_S3_ACCESS_KEY")),
        ("PEREGRINE_S3_SECRET_KEY", Env("PEREGRINE_S3_SECRET_KEY")),
        ("PEREGRINE_S3_REGION", "us-east-1"),
        ("PEREGRINE_S3_STAGING_BUCKET", "staging-" + _suffix),
        ("PEREGRINE_S3_FINAL_BUCKET", "final-" + _suffix),
        ("PEREGRINE_S3_FORCE_PATH_STYLE", "true"),
    ];

    public override bool IsLocal => false;

    private S3FileStorage S3 => (S3FileStorage)Factory.Services.GetRequiredService<IFileStorage>();

    /// <summary>Keys in both buckets that name the file, as <c>staging:&lt;key&gt;</c> and <c>final:&lt;key&gt;</c>.</summary>
    public override async Task<string[]> ObjectsOfAsync(Guid id)
    {
        var found = new List<string>();
        foreach (var (label, bucket) in new[] { ("staging", S3.StagingBucket), ("final", S3.FinalBucket) })
        {
            var request = new ListObjectsV2Request { BucketName = bucket };
            ListObjectsV2Response page;
            do
            {
                page = await S3.Client.ListObjectsV2Async(request);
                found.AddRange((page.S3Objects ?? [])
                    .Where(o => o.Key.Contains(id.ToString("N"), StringComparison.Ordinal) || o.Key.Contains(id.ToString("D"), StringComparison.Ordinal))
                    .Select(o => $"{label}:{o.Key}"));
                request.ContinuationToken = page.NextContinuationToken;
            }
            while (page.IsTruncated == true);
        }
        return found.ToArray();
    }

    public override Task PutOrphanStagedAsync(Guid id) =>
        S3.Client.PutObjectAsync(new PutObjectRequest { BucketName = S3.StagingBucket, Key = S3FileStorage.StagedKey(id), ContentBody = "orphan" });
}

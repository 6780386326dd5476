using Peregrine.Graph.Configuration;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Peregrine.Graph.Media;

/// <summary>The media pipeline's settings (environment variables named in the README's Media section).</summary>
public sealed class MediaOptions
{
    public const long DefaultMaxBytes = 500L * 1024 * 1024;

    /// <summary><c>local</c> (default) or <c>s3</c> (PEREGRINE_STORAGE).</summary>
    public string Backend { get; init; } = "local";
    /// <summary>Folder of the local backend (PEREGRINE_STORAGE_PATH; default <c>.data/storage</c> under the working folder).</summary>
    public string LocalPath { get; init; } = Path.Combine(".data", "storage");
    /// <summary>Largest file accepted, in bytes (PEREGRINE_STORAGE_MAX_BYTES, default 500 MB).</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;
    /// <summary>Staged uploads older than this are deleted (PEREGRINE_STORAGE_STAGING_TTL_HOURS, default 24; fractions allowed).</summary>
    public TimeSpan StagingTtl { get; init; } = TimeSpan.FromHours(24);
    /// <summary>How often the staging purge runs (PEREGRINE_STORAGE_PURGE_INTERVAL_SECONDS, default 600).</summary>
    public TimeSpan PurgeInterval { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Lifetime of an upload URL (PEREGRINE_STORAGE_UPLOAD_URL_TTL_SECONDS, default 3600).</summary>
    public TimeSpan UploadUrlTtl { get; init; } = TimeSpan.FromHours(1);
    /// <summary>Lifetime of a presigned download URL (PEREGRINE_STORAGE_DOWNLOAD_URL_TTL_SECONDS, default 3600).</summary>
    public TimeSpan DownloadUrlTtl { get; init; } = TimeSpan.FromHours(1);
    /// <summary>AES-256 key for files at rest on the local backend (PEREGRINE_ENCRYPTION_KEY: 32 bytes as base64 or 64 hex digits).</summary>
    public byte[]? EncryptionKey { get; init; }
    /// <summary>Base URL of a CDN in front of final storage (PEREGRINE_STORAGE_PUBLIC_URL); otherwise URLs are Peregrine's own.</summary>
    public string? PublicUrl { get; init; }
    /// <summary>clamd's address, <c>tcp://host:port</c> (PEREGRINE_CLAMAV_URL); no scan when unset.</summary>
    public Uri? ClamAvUrl { get; init; }
    /// <summary>ffmpeg for video frames (PEREGRINE_FFMPEG_PATH; default <c>ffmpeg</c> on the PATH; no video thumbnail when missing).</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";
    /// <summary>Most <c>file[]</c> parts one multipart <c>POST /v1/files</c> may carry (PEREGRINE_STORAGE_MAX_FILES_PER_REQUEST, default 20).</summary>
    public int MaxFilesPerRequest { get; init; } = 20;
    /// <summary>Most file bytes, all parts together, one multipart <c>POST /v1/files</c> may carry (PEREGRINE_STORAGE_MAX_REQUEST_BYTES, default 500 MB).</summary>
    public long MaxRequestBytes { get; init; } = DefaultMaxBytes;
    /// <summary>Images decoding to more pixels than this are refused a thumbnail (decompression bombs).</summary>
    public long MaxImagePixels { get; init; } = 100_000_000;

    public S3Settings S3 { get; init; } = new();

    public sealed class S3Settings
    {
        public string? Endpoint { get; init; }
        public string Region { get; init; } = "us-east-1";
        public string? AccessKey { get; init; }
        public string? SecretKey { get; init; }
        public string StagingBucket { get; init; } = "peregrine-staging";
        public string FinalBucket { get; init; } = "peregrine-files";
        public bool ForcePathStyle { get; init; } = true;
    }

    /// <summary>Reads and validates every media setting: a bad value throws <see cref="InvalidSettingException"/>.</summary>
    public static MediaOptions FromConfiguration(IConfiguration config)
    {
        var s = new SettingsReader(config);
        var backend = s.Custom("PEREGRINE_STORAGE", null, "expected local or s3",
            v => v.Trim().ToLowerInvariant() is "local" or "s3" ? v.Trim().ToLowerInvariant() : throw new FormatException("unknown backend")) ?? "local";
        var clamUri = s.Custom("PEREGRINE_CLAMAV_URL", null, "expected tcp://host:port, e.g. tcp://127.0.0.1:3310",
            v => Uri.TryCreate(v.Trim(), UriKind.Absolute, out var u) && u.Scheme == "tcp" && u.Port > 0 ? u : throw new FormatException("not a tcp:// address"));
        return new MediaOptions
        {
            Backend = backend,
            LocalPath = s.String("PEREGRINE_STORAGE_PATH")?.Trim() ?? Path.Combine(".data", "storage"),
            MaxBytes = s.Long("PEREGRINE_STORAGE_MAX_BYTES", DefaultMaxBytes, min: 1, max: long.MaxValue / 2),
            StagingTtl = TimeSpan.FromHours(s.Double("PEREGRINE_STORAGE_STAGING_TTL_HOURS", 24, min: 0, max: 24 * 365)),
            PurgeInterval = TimeSpan.FromSeconds(s.Double("PEREGRINE_STORAGE_PURGE_INTERVAL_SECONDS", 600, min: 0.1, max: 86400)),
            UploadUrlTtl = TimeSpan.FromSeconds(s.Double("PEREGRINE_STORAGE_UPLOAD_URL_TTL_SECONDS", 3600, min: 1, max: 7 * 86400)),
            DownloadUrlTtl = TimeSpan.FromSeconds(s.Double("PEREGRINE_STORAGE_DOWNLOAD_URL_TTL_SECONDS", 3600, min: 1, max: 7 * 86400)),
            EncryptionKey = s.String("PEREGRINE_ENCRYPTION_KEY") is { } key ? ParseKey(key.Trim()) : null,
            PublicUrl = s.Url("PEREGRINE_STORAGE_PUBLIC_URL", "http", "https")?.TrimEnd('/'),
            MaxFilesPerRequest = s.Int("PEREGRINE_STORAGE_MAX_FILES_PER_REQUEST", 20, min: 1, max: 1000),
            MaxRequestBytes = s.Long("PEREGRINE_STORAGE_MAX_REQUEST_BYTES", DefaultMaxBytes, min: 1, max: long.MaxValue / 2),
            ClamAvUrl = clamUri,
            FfmpegPath = s.String("PEREGRINE_FFMPEG_PATH")?.Trim() ?? "ffmpeg",
            S3 = new S3Settings
            {
                Endpoint = s.Url("PEREGRINE_S3_ENDPOINT", "http", "https"),
                Region = s.String("PEREGRINE_S3_REGION")?.Trim() ?? "us-east-1",
                AccessKey = s.String("PEREGRINE_S3_ACCESS_KEY")?.Trim(),
                SecretKey = s.String("PEREGRINE_S3_SECRET_KEY")?.Trim(),
                StagingBucket = s.String("PEREGRINE_S3_STAGING_BUCKET")?.Trim() ?? "peregrine-staging",
                FinalBucket = s.String("PEREGRINE_S3_FINAL_BUCKET")?.Trim() ?? "peregrine-files",
                ForcePathStyle = s.Custom("PEREGRINE_S3_FORCE_PATH_STYLE", null, "expected true or false",
                    v => bool.TryParse(v.Trim(), out var b) ? (object)b : throw new FormatException("not a boolean")) is not false,
            },
        };
    }

    /// <summary>32 bytes, written as base64 or as 64 hex digits; anything else stops start-up rather than weakening the key.</summary>
    public static byte[] ParseKey(string text) =>
        // The key the account secrets use too, so it is read the same way (base64, URL-safe base64 or hex).
        Auth.Mfa.TotpSecretCipher.ParseKey(text, "PEREGRINE_ENCRYPTION_KEY");
}

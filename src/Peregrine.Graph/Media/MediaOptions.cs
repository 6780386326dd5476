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

    public static MediaOptions FromConfiguration(IConfiguration config)
    {
        string? Read(string name) => string.IsNullOrWhiteSpace(config[name]) ? null : config[name]!.Trim();
        double? Number(string name) =>
            double.TryParse(Read(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && double.IsFinite(v) ? v : null;

        var backend = (Read("PEREGRINE_STORAGE") ?? "local").ToLowerInvariant();
        if (backend is not ("local" or "s3"))
            throw new InvalidOperationException($"PEREGRINE_STORAGE must be 'local' or 's3', not '{backend}'");
        var clam = Read("PEREGRINE_CLAMAV_URL");
        Uri? clamUri = null;
        if (clam is not null && (!Uri.TryCreate(clam, UriKind.Absolute, out clamUri) || clamUri.Scheme != "tcp" || clamUri.Port <= 0))
            throw new InvalidOperationException("PEREGRINE_CLAMAV_URL must look like tcp://127.0.0.1:3310");
        return new MediaOptions
        {
            Backend = backend,
            LocalPath = Read("PEREGRINE_STORAGE_PATH") ?? Path.Combine(".data", "storage"),
            MaxBytes = Number("PEREGRINE_STORAGE_MAX_BYTES") is { } max && max >= 1 && max < long.MaxValue / 2 ? (long)max : DefaultMaxBytes,
            StagingTtl = Number("PEREGRINE_STORAGE_STAGING_TTL_HOURS") is { } h && h < 24 * 365 ? TimeSpan.FromHours(h) : TimeSpan.FromHours(24),
            PurgeInterval = Number("PEREGRINE_STORAGE_PURGE_INTERVAL_SECONDS") is { } p && p is >= 0.1 and <= 86400 ? TimeSpan.FromSeconds(p) : TimeSpan.FromMinutes(10),
            UploadUrlTtl = Number("PEREGRINE_STORAGE_UPLOAD_URL_TTL_SECONDS") is { } u && u is >= 1 and <= 7 * 86400 ? TimeSpan.FromSeconds(u) : TimeSpan.FromHours(1),
            DownloadUrlTtl = Number("PEREGRINE_STORAGE_DOWNLOAD_URL_TTL_SECONDS") is { } d && d is >= 1 and <= 7 * 86400 ? TimeSpan.FromSeconds(d) : TimeSpan.FromHours(1),
            EncryptionKey = Read("PEREGRINE_ENCRYPTION_KEY") is { } key ? ParseKey(key) : null,
            PublicUrl = Read("PEREGRINE_STORAGE_PUBLIC_URL")?.TrimEnd('/'),
            ClamAvUrl = clamUri,
            FfmpegPath = Read("PEREGRINE_FFMPEG_PATH") ?? "ffmpeg",
            S3 = new S3Settings
            {
                Endpoint = Read("PEREGRINE_S3_ENDPOINT"),
                Region = Read("PEREGRINE_S3_REGION") ?? "us-east-1",
                AccessKey = Read("PEREGRINE_S3_ACCESS_KEY"),
                SecretKey = Read("PEREGRINE_S3_SECRET_KEY"),
                StagingBucket = Read("PEREGRINE_S3_STAGING_BUCKET") ?? "peregrine-staging",
                FinalBucket = Read("PEREGRINE_S3_FINAL_BUCKET") ?? "peregrine-files",
                ForcePathStyle = !string.Equals(Read("PEREGRINE_S3_FORCE_PATH_STYLE"), "false", StringComparison.OrdinalIgnoreCase),
            },
        };
    }

    /// <summary>32 bytes, written as base64 or as 64 hex digits; anything else stops start-up rather than weakening the key.</summary>
    public static byte[] ParseKey(string text)
    {
        if (text.Length == 64 && text.All(Uri.IsHexDigit)) return Convert.FromHexString(text);
        try
        {
            var bytes = Convert.FromBase64String(text);
            if (bytes.Length == 32) return bytes;
        }
        catch (FormatException) { }
        throw new InvalidOperationException("PEREGRINE_ENCRYPTION_KEY must be 32 bytes, as base64 or 64 hex digits (e.g. `openssl rand -base64 32`)");
    }
}

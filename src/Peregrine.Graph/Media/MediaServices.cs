using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Hosting;
using Peregrine.Graph.Media.Files;
using Peregrine.Graph.Media.Staging;
using Peregrine.Graph.Media.Storage;
using Peregrine.Graph.Media.Thumbnails;
using Peregrine.Graph.Media.Validation;

namespace Peregrine.Graph.Media;

public static class MediaServices
{
    public static IServiceCollection AddPeregrineMedia(this IServiceCollection services)
    {
        services.AddSingleton(sp => MediaOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IFileStorage>(sp =>
        {
            var options = sp.GetRequiredService<MediaOptions>();
            if (options.Backend == "s3") return new S3FileStorage(options);
            if (options.EncryptionKey is null)
                sp.GetRequiredService<ILogger<LocalFileStorage>>().LogWarning(
                    "PEREGRINE_ENCRYPTION_KEY is not set: uploaded files are stored unencrypted under {Path}", options.LocalPath);
            return new LocalFileStorage(options);
        });
        services.AddSingleton(sp => new UrlSigner(SigningSecret(sp.GetRequiredService<MediaOptions>(), sp.GetRequiredService<PeregrineOptions>())));
        services.AddSingleton(sp => new FileRecords(sp.GetRequiredService<Npgsql.NpgsqlDataSource>()));
        services.AddSingleton<FileValidator>();
        services.AddSingleton<ImageThumbnailer>();
        services.AddSingleton<ImageTransforms>();
        services.AddSingleton<VideoFrameExtractor>();
        services.AddSingleton<UploadPipeline>();
        services.AddSingleton<DownloadAccess>();
        services.AddSingleton<StagingPurgeService>();
        services.AddHostedService(sp => sp.GetRequiredService<StagingPurgeService>());
        return services;
    }

    // Every instance with the same configuration must accept the others' URLs, so the key comes from shared secrets;
    // with none configured (a development server that is admin to everyone anyway) a per-process key is used.
    private static byte[] SigningSecret(MediaOptions media, PeregrineOptions options)
    {
        if (media.EncryptionKey is { } key) return key;
        if ((options.AdminSecret ?? options.JwtSecret) is { } secret) return Encoding.UTF8.GetBytes("url-signing:" + secret);
        return RandomNumberGenerator.GetBytes(32);
    }
}

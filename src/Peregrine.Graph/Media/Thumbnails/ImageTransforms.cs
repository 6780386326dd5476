using System.Globalization;
using Microsoft.AspNetCore.Http;
using Peregrine.Domain.Model.Media;
using Peregrine.Graph.Media.Api;
using Peregrine.Graph.Media.Storage;

namespace Peregrine.Graph.Media.Thumbnails;

/// <summary>
/// Hasura Storage's image transforms on download: <c>?w=&amp;h=&amp;q=&amp;f=webp|jpeg|png</c>. Sizes are bounded
/// (1..4096; beyond is a 400), one of w/h alone keeps the aspect ratio, images are only ever shrunk. Results are
/// cached in final storage under <c>transforms/&lt;id&gt;/</c> and deleted with the file.
/// </summary>
public sealed class ImageTransforms(IFileStorage storage, ImageThumbnailer images)
{
    public sealed record Request(int? Width, int? Height, int Quality, string Format)
    {
        public string CacheName => $"w{Width?.ToString(CultureInfo.InvariantCulture) ?? "-"}h{Height?.ToString(CultureInfo.InvariantCulture) ?? "-"}q{Quality.ToString(CultureInfo.InvariantCulture)}.{Format}";
    }

    public static string Prefix(Guid id) => $"transforms/{id:D}/";

    /// <summary>The transform the query asks for, or null when it asks for none; out-of-range values are a 400.</summary>
    public static Request? Requested(IQueryCollection query)
    {
        if (!query.ContainsKey("w") && !query.ContainsKey("h") && !query.ContainsKey("q") && !query.ContainsKey("f")) return null;
        int? Size(string name)
        {
            if (!query.TryGetValue(name, out var v) || string.IsNullOrEmpty(v)) return null;
            if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > ImageThumbnailer.MaxTransformSize)
                throw FileApiError.BadRequest($"{name} must be an integer from 1 to {ImageThumbnailer.MaxTransformSize}");
            return n;
        }
        var quality = 80;
        if (query.TryGetValue("q", out var q) && !string.IsNullOrEmpty(q) &&
            (!int.TryParse(q, NumberStyles.None, CultureInfo.InvariantCulture, out quality) || quality is < 1 or > 100))
            throw FileApiError.BadRequest("q must be an integer from 1 to 100");
        var format = query.TryGetValue("f", out var f) && !string.IsNullOrEmpty(f) ? f.ToString().ToLowerInvariant() : "webp";
        if (format == "jpg") format = "jpeg";
        if (format is not ("webp" or "jpeg" or "png")) throw FileApiError.BadRequest("f must be webp, jpeg or png");
        return new Request(Size("w"), Size("h"), quality, format);
    }

    public async Task<(byte[] Bytes, string Mime)> GetAsync(StoredFile file, Request request, CancellationToken ct)
    {
        var type = Validation.MediaType.FromDeclared(file.MimeType);
        if (type is null || type.IsVideo || type == Validation.MediaType.Svg)
            throw FileApiError.BadRequest("transforms apply to raster images only");
        var mime = "image/" + request.Format;
        var key = Prefix(file.Id) + request.CacheName;
        await using (var cached = await storage.OpenFinalAsync(key, ct))
        {
            if (cached is not null)
            {
                var bytes = new byte[cached.Length];
                await cached.Content.ReadExactlyAsync(bytes, ct);
                return (bytes, mime);
            }
        }
        await using var source = await storage.OpenFinalAsync(file.StorageKey!, ct) ?? throw FileApiError.NotFound();
        await using var local = await LocalCopy.OfAsync(source, type.Extension, forceFile: false, ct);
        var result = images.Transform(local.Stream, request.Width, request.Height, request.Quality, request.Format)
            ?? throw FileApiError.Invalid("the image cannot be transformed (undecodable or too many pixels)");
        await storage.PutFinalAsync(key, new MemoryStream(result, writable: false), mime, ct);
        return (result, mime);
    }
}

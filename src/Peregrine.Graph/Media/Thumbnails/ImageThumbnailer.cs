using NetVips;

namespace Peregrine.Graph.Media.Thumbnails;

/// <summary>
/// Image thumbnails and transforms with libvips (NetVips): it decodes with shrink-on-load and streams
/// through the image in strips, so memory stays near the output's size rather than the source's. The
/// header is read first and images over <see cref="MediaOptions.MaxImagePixels"/> are refused before any
/// pixel is decoded (decompression bombs: a few KB of PNG can claim 50,000 × 50,000 pixels).
/// </summary>
public sealed class ImageThumbnailer
{
    public const int ThumbnailSize = 256;
    public const int MaxTransformSize = 4096;
    private readonly long _maxPixels;

    static ImageThumbnailer()
    {
        // Files are read once; libvips' operation cache would only hold decoded pixels of images nobody asks for again.
        Cache.Max = 0;
        Cache.MaxFiles = 0;
        Cache.MaxMem = 0;
    }

    public ImageThumbnailer(MediaOptions options) => _maxPixels = options.MaxImagePixels;

    /// <summary>A WebP at most <see cref="ThumbnailSize"/> on its longer side, or null when the image cannot be decoded within bounds.</summary>
    public byte[]? Thumbnail(Stream source) => Transform(source, ThumbnailSize, ThumbnailSize, 80, "webp");

    /// <summary>
    /// Resized (to fit w×h; one of them alone keeps the aspect ratio) and re-encoded as <paramref name="format"/>
    /// (webp, jpeg or png) at quality <paramref name="quality"/>. Null when the image is too large or undecodable.
    /// </summary>
    public byte[]? Transform(Stream source, int? width, int? height, int quality, string format)
    {
        try
        {
            using (var header = Image.NewFromStream(source, access: Enums.Access.Sequential))
            {
                if ((long)header.Width * header.Height > _maxPixels) return null;
            }
            source.Position = 0;
            var w = width ?? MaxTransformSize;
            using var image = Image.ThumbnailStream(source, w, height: height ?? (width is null ? MaxTransformSize : 10_000_000),
                size: Enums.Size.Down);
            return format switch
            {
                "png" => image.PngsaveBuffer(),
                "jpeg" => image.JpegsaveBuffer(q: quality, keep: Enums.ForeignKeep.None),
                _ => image.WebpsaveBuffer(q: quality, keep: Enums.ForeignKeep.None),
            };
        }
        catch (VipsException)
        {
            return null;
        }
    }
}

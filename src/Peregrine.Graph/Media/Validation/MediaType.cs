namespace Peregrine.Graph.Media.Validation;

/// <summary>
/// A supported format: its canonical MIME type, the other names clients declare it by, its file extension,
/// and the family of formats a declaration of it may turn out to be (MP4 and QuickTime share one container,
/// and phones label either with the other's name).
/// </summary>
public sealed record MediaType(string Mime, string Extension, bool IsVideo, string Family, params string[] Aliases)
{
    public static readonly MediaType Jpeg = new("image/jpeg", "jpg", false, "jpeg", "image/jpg", "image/pjpeg");
    public static readonly MediaType Png = new("image/png", "png", false, "png");
    public static readonly MediaType Gif = new("image/gif", "gif", false, "gif");
    public static readonly MediaType WebP = new("image/webp", "webp", false, "webp");
    public static readonly MediaType Svg = new("image/svg+xml", "svg", false, "svg");
    public static readonly MediaType Tiff = new("image/tiff", "tiff", false, "tiff", "image/tif");
    public static readonly MediaType Bmp = new("image/bmp", "bmp", false, "bmp", "image/x-bmp", "image/x-ms-bmp");
    public static readonly MediaType Mp4 = new("video/mp4", "mp4", true, "isobmff", "video/x-m4v", "video/m4v");
    public static readonly MediaType QuickTime = new("video/quicktime", "mov", true, "isobmff");
    public static readonly MediaType Mpeg = new("video/mpeg", "mpg", true, "mpeg", "video/mpg");
    public static readonly MediaType Avi = new("video/x-msvideo", "avi", true, "avi", "video/avi", "video/msvideo");
    public static readonly MediaType Wmv = new("video/x-ms-wmv", "wmv", true, "asf", "video/x-ms-asf");
    public static readonly MediaType WebM = new("video/webm", "webm", true, "webm");

    public static readonly IReadOnlyList<MediaType> All = [Jpeg, Png, Gif, WebP, Svg, Tiff, Bmp, Mp4, QuickTime, Mpeg, Avi, Wmv, WebM];

    /// <summary>The supported format a client's declared type names (parameters such as <c>; charset</c> ignored), or null.</summary>
    public static MediaType? FromDeclared(string? declared)
    {
        if (string.IsNullOrWhiteSpace(declared)) return null;
        var mime = declared.Split(';', 2)[0].Trim().ToLowerInvariant();
        return All.FirstOrDefault(t => t.Mime == mime || t.Aliases.Contains(mime));
    }

    public bool IsImage => !IsVideo;
}

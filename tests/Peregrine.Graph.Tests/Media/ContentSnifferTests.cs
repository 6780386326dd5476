using System.Diagnostics;
using Peregrine.Graph.Media.Validation;

namespace Peregrine.Graph.Tests.Media;

/// <summary>
/// Every format the issue lists, made by real encoders (libvips for images, ffmpeg for videos), is recognised
/// from its bytes; declared-vs-content mismatches and formats outside the list are named in the answer.
/// </summary>
public sealed class ContentSnifferTests
{
    private static NetVips.Image Picture() =>
        (NetVips.Image.Black(64, 48, bands: 3) + new double[] { 10, 200, 90 }).Cast(NetVips.Enums.BandFormat.Uchar);

    public static TheoryData<string, string> Encoded() => new()
    {
        { "jpeg", "image/jpeg" }, { "png", "image/png" }, { "gif", "image/gif" }, { "webp", "image/webp" },
        { "tiff", "image/tiff" }, { "tiff-be", "image/tiff" }, { "bmp", "image/bmp" }, { "svg", "image/svg+xml" },
        { "mp4", "video/mp4" }, { "mov", "video/quicktime" }, { "mpeg", "video/mpeg" }, { "avi", "video/x-msvideo" },
        { "wmv", "video/x-ms-wmv" }, { "webm", "video/webm" },
    };

    [Theory]
    [MemberData(nameof(Encoded))]
    public void Real_files_of_every_listed_format_are_recognised(string format, string mime)
    {
        var bytes = Make(format);
        var sniffed = ContentSniffer.Sniff(bytes.AsSpan(0, Math.Min(bytes.Length, ContentSniffer.HeadLength)));
        Assert.Equal(mime, sniffed.Mime);
        Assert.NotNull(sniffed.Type);
        Assert.Same(MediaType.FromDeclared(mime), sniffed.Type);
    }

    [Theory]
    [InlineData(new byte[] { 0x4D, 0x5A, 0x90, 0x00 }, "application/x-dosexec")]
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 2, 1 }, "application/x-executable")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, "application/pdf")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04 }, "application/zip")]
    [InlineData(new byte[] { 0x00, 0x01, 0x02, 0x03, 0xFE }, "application/octet-stream")]
    [InlineData(new byte[] { 0x68, 0x65, 0x6C, 0x6C, 0x6F }, "text/plain")]
    public void Unsupported_content_is_named_and_has_no_media_type(byte[] head, string mime)
    {
        var sniffed = ContentSniffer.Sniff(head);
        Assert.Null(sniffed.Type);
        Assert.Equal(mime, sniffed.Mime);
    }

    [Fact]
    public void Html_is_not_svg_and_matroska_without_webm_doctype_is_not_webm()
    {
        Assert.Null(ContentSniffer.Sniff("<html><body><svg></svg></body></html>"u8).Type);
        Assert.Null(ContentSniffer.Sniff([0x1A, 0x45, 0xDF, 0xA3, 0x42, 0x82, 0x88, .. "matroska"u8]).Type);
        Assert.Equal(MediaType.Svg, ContentSniffer.Sniff("\uFEFF<?xml version=\"1.0\"?>\n<!-- c -->\n<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\"/>"u8).Type);
    }

    [Theory]
    [InlineData("image/jpg", "image/jpeg")]
    [InlineData("IMAGE/PNG; charset=binary", "image/png")]
    [InlineData("video/avi", "video/x-msvideo")]
    public void Declared_aliases_name_the_same_format(string declared, string canonical) =>
        Assert.Equal(canonical, MediaType.FromDeclared(declared)!.Mime);

    [Fact]
    public void Declared_types_outside_the_list_are_not_supported()
    {
        Assert.Null(MediaType.FromDeclared("application/x-dosexec"));
        Assert.Null(MediaType.FromDeclared("text/html"));
        Assert.Null(MediaType.FromDeclared(""));
    }

    internal static byte[] Make(string format)
    {
        using var picture = Picture();
        return format switch
        {
            "jpeg" => picture.JpegsaveBuffer(),
            "png" => picture.PngsaveBuffer(),
            "gif" => picture.GifsaveBuffer(),
            "webp" => picture.WebpsaveBuffer(),
            "tiff" => picture.TiffsaveBuffer(),
            "tiff-be" => [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8, 0, 0],
            "bmp" => Bmp(4, 4),
            "svg" => MediaFiles.SafeSvg(),
            "mp4" => Video("mp4", "-c:v", "mpeg4"),
            "mov" => Video("mov", "-c:v", "mpeg4"),
            "mpeg" => Video("mpg", "-c:v", "mpeg1video", "-f", "mpeg"),
            "avi" => Video("avi", "-c:v", "mpeg4"),
            "wmv" => Video("wmv", "-c:v", "wmv2"),
            "webm" => Video("webm", "-c:v", "libvpx", "-b:v", "200k"),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    // A 24-bit BMP, written field by field from the format (BITMAPFILEHEADER + BITMAPINFOHEADER + rows padded to 4 bytes).
    private static byte[] Bmp(int width, int height)
    {
        var row = (width * 3 + 3) & ~3;
        var size = 54 + row * height;
        var b = new byte[size];
        b[0] = (byte)'B'; b[1] = (byte)'M';
        BitConverter.GetBytes(size).CopyTo(b, 2);
        BitConverter.GetBytes(54).CopyTo(b, 10);
        BitConverter.GetBytes(40).CopyTo(b, 14);
        BitConverter.GetBytes(width).CopyTo(b, 18);
        BitConverter.GetBytes(height).CopyTo(b, 22);
        BitConverter.GetBytes((short)1).CopyTo(b, 26);
        BitConverter.GetBytes((short)24).CopyTo(b, 28);
        return b;
    }

    private static byte[] Video(string extension, params string[] codec)
    {
        var output = Path.Combine(Path.GetTempPath(), $"peregrine-sniff-{Guid.NewGuid():N}.{extension}");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "1" }
                     .Concat(codec).Append(output)) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        try { return File.ReadAllBytes(output); }
        finally { File.Delete(output); }
    }
}

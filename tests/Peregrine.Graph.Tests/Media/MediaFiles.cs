using System.Diagnostics;

namespace Peregrine.Graph.Tests.Media;

/// <summary>Real files for the tests: made by ffmpeg and libvips' own encoders, or hand-built with the format's signature.</summary>
internal static class MediaFiles
{
    private static readonly Lazy<byte[]> Mp4Lazy = new(() => Ffmpeg("mp4",
        "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25,noise=alls=80:allf=t+u", "-t", "8", "-c:v", "mpeg4", "-b:v", "5M", "-pix_fmt", "yuv420p"));

    /// <summary>A playable MP4 of about 5 MB (8 s at 5 Mbit/s).</summary>
    public static byte[] Mp4 => Mp4Lazy.Value;

    public static byte[] Jpeg(int width = 640, int height = 480)
    {
        using var image = (NetVips.Image.Black(width, height, bands: 3) + new double[] { 30, 120, 200 }).Cast(NetVips.Enums.BandFormat.Uchar);
        return image.JpegsaveBuffer(q: 85);
    }

    public static byte[] Png(int width = 300, int height = 200)
    {
        using var image = (NetVips.Image.Black(width, height, bands: 3) + new double[] { 200, 40, 40 }).Cast(NetVips.Enums.BandFormat.Uchar);
        return image.PngsaveBuffer();
    }

    /// <summary>A Windows executable's first bytes (MZ header, "This program cannot be run in DOS mode") padded out.</summary>
    public static byte[] Exe()
    {
        var bytes = new byte[4096];
        bytes[0] = (byte)'M';
        bytes[1] = (byte)'Z';
        System.Text.Encoding.ASCII.GetBytes("This program cannot be run in DOS mode.").CopyTo(bytes, 0x4E);
        return bytes;
    }

    public static byte[] SvgWithScript() => System.Text.Encoding.UTF8.GetBytes(
        """<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>""");

    public static byte[] SafeSvg() => System.Text.Encoding.UTF8.GetBytes(
        """<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/></svg>""");

    private static byte[] Ffmpeg(string extension, params string[] args)
    {
        var output = Path.Combine(Path.GetTempPath(), $"peregrine-test-{Guid.NewGuid():N}.{extension}");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-y" }.Concat(args).Append(output)) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        var err = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException("ffmpeg failed: " + err);
        try { return File.ReadAllBytes(output); }
        finally { File.Delete(output); }
    }
}

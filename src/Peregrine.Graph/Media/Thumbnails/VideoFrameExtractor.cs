using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Peregrine.Graph.Media.Thumbnails;

/// <summary>
/// A video's thumbnail: one frame (one second in, or the first when the clip is shorter) scaled to 256 px
/// wide, by Debian's <c>ffmpeg</c>. Without ffmpeg installed, videos get no thumbnail (README, Media).
/// ffmpeg reads a file (MP4s often keep their index at the end, which a pipe cannot seek to).
/// </summary>
public sealed class VideoFrameExtractor(MediaOptions options, ILogger<VideoFrameExtractor> logger)
{
    private bool _missing;

    public async Task<byte[]?> FrameAsync(string path, CancellationToken ct)
    {
        if (_missing) return null;
        return await RunAsync(path, "1", ct) ?? await RunAsync(path, "0", ct);
    }

    private async Task<byte[]?> RunAsync(string path, string seek, CancellationToken ct)
    {
        var start = new ProcessStartInfo(options.FfmpegPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-ss", seek, "-i", path, "-frames:v", "1",
                     "-vf", $"scale={ImageThumbnailer.ThumbnailSize}:-2", "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "4", "pipe:1" })
            start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            _missing = true;
            logger.LogWarning("ffmpeg not found at {Path}: videos get no thumbnail", options.FfmpegPath);
            return null;
        }
        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                using var output = new MemoryStream();
                var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                await stderr;
                return process.ExitCode == 0 && output.Length > 0 ? output.ToArray() : null;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
        }
    }
}

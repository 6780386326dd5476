using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Peregrine.Graph.Sensors.Ingest;

/// <summary>
/// The disk spool that holds accepted batches while InfluxDB is away. One segment file per batch, named by a
/// rising sequence number, holding the batch's line protocol exactly as it will be sent; segments are never
/// changed once written (append-only), only deleted after InfluxDB took them. Writing a segment: write
/// <c>N.tmp</c>, fsync it, rename it to <c>N.seg</c>, fsync the folder; so a crash leaves either a whole
/// segment or a <c>.tmp</c> that was never acknowledged (deleted at start-up). Start-up loads every
/// <c>.seg</c> in number order, so a restart flushes what the last process accepted. Bounded by
/// <c>PEREGRINE_SENSOR_SPOOL_MB</c>: a batch that would pass it is refused with
/// <see cref="SensorStorageUnavailableException"/>.
/// </summary>
public sealed class SensorSpool
{
    private const string SegmentExtension = ".seg";
    private const string TempExtension = ".tmp";

    private readonly object _gate = new();
    private readonly Queue<Segment> _segments = new();
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly ILogger<SensorSpool> _logger;
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly string? _unusable;
    private long _bytes;
    private long _lastSequence;

    public sealed record Segment(long Sequence, string Path, long Bytes);

    public SensorSpool(SensorOptions options, ILogger<SensorSpool> logger)
    {
        _directory = Path.GetFullPath(options.SpoolDirectory);
        _maxBytes = options.SpoolMaxBytes;
        _logger = logger;
        try
        {
            Directory.CreateDirectory(_directory);
            foreach (var tmp in Directory.EnumerateFiles(_directory, "*" + TempExtension)) File.Delete(tmp);
            var found = Directory.EnumerateFiles(_directory, "*" + SegmentExtension)
                .Select(p => (Path: p, Ok: long.TryParse(Path.GetFileNameWithoutExtension(p), NumberStyles.None, CultureInfo.InvariantCulture, out var n), Sequence: n))
                .Where(f => f.Ok)
                .OrderBy(f => f.Sequence);
            foreach (var f in found)
            {
                var segment = new Segment(f.Sequence, f.Path, new FileInfo(f.Path).Length);
                _segments.Enqueue(segment);
                _bytes += segment.Bytes;
                _lastSequence = f.Sequence;
            }
            if (_segments.Count > 0)
                logger.LogInformation("sensor spool {Directory}: {Count} batches ({Bytes} bytes) from before, to flush", _directory, _segments.Count, _bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The server still starts: writes go straight to InfluxDB, and only an outage turns into 503s.
            _unusable = $"the sensor spool folder {_directory} is unusable: {e.Message}";
            logger.LogError("{Reason}", _unusable);
        }
    }

    public string DirectoryPath => _directory;

    public bool IsEmpty { get { lock (_gate) return _segments.Count == 0; } }

    public (int Batches, long Bytes) Depth { get { lock (_gate) return (_segments.Count, _bytes); } }

    /// <summary>Appends one batch as a new segment, durable when this returns.</summary>
    public void Append(ReadOnlySpan<byte> lines)
    {
        if (_unusable is not null) throw new SensorStorageUnavailableException(_unusable);
        lock (_gate)
        {
            if (_bytes + lines.Length > _maxBytes)
                throw new SensorStorageUnavailableException(
                    $"InfluxDB is unavailable and the sensor spool is full ({_bytes} of {_maxBytes} bytes); retry later");
            var sequence = _lastSequence + 1;
            var path = Path.Combine(_directory, sequence.ToString("D16", CultureInfo.InvariantCulture) + SegmentExtension);
            var tmp = Path.ChangeExtension(path, TempExtension);
            try
            {
                using (var file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
                {
                    file.Write(lines);
                    file.Flush(flushToDisk: true);
                }
                File.Move(tmp, path);
                SyncDirectory(_directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                try { File.Delete(tmp); } catch (IOException) { }
                _logger.LogError("sensor spool write failed: {Message}", e.Message);
                throw new SensorStorageUnavailableException("InfluxDB is unavailable and the sensor spool cannot be written; retry later");
            }
            _lastSequence = sequence;
            _segments.Enqueue(new Segment(sequence, path, lines.Length));
            _bytes += lines.Length;
        }
        _signal.Release();
    }

    /// <summary>The oldest segment, left in place until <see cref="Remove"/>.</summary>
    public Segment? Oldest() { lock (_gate) return _segments.TryPeek(out var s) ? s : null; }

    public static byte[] Read(Segment segment) => File.ReadAllBytes(segment.Path);

    /// <summary>Deletes the oldest segment, which InfluxDB has now taken.</summary>
    public void Remove(Segment segment)
    {
        lock (_gate)
        {
            if (!_segments.TryPeek(out var head) || head.Sequence != segment.Sequence)
                throw new InvalidOperationException("only the oldest spool segment can be removed");
            // Delete first: if this fails the segment stays queued and is sent again, which InfluxDB overwrites.
            File.Delete(segment.Path);
            _segments.Dequeue();
            _bytes -= segment.Bytes;
        }
    }

    /// <summary>Waits until a batch is appended, or <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        await _signal.WaitAsync(timeout, ct);
        // Several appends may have released it; one wake-up is enough.
        while (_signal.CurrentCount > 0 && _signal.Wait(0)) { }
    }

    // A rename is durable only once its folder is synced (fsync(2) on the file does not cover the name). .NET has no
    // API for syncing a folder, so libc's open/fsync is used where there is one; elsewhere the file's fsync is all.
    private static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = open(directory, 0 /* O_RDONLY */);
        if (fd < 0) return;
        try { fsync(fd); }
        finally { close(fd); }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc")]
    private static extern int close(int fd);
}

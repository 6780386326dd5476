using System.Diagnostics;

namespace Peregrine.Graph.Tests.Sensors.Ingest;

/// <summary>
/// An InfluxDB of this test's own (Debian's influxd on two ports free when it is created, data under /tmp), which the
/// test may stop and start; the shared one is never touched. Stopped with SIGKILL, the crash an outage looks like.
/// Free ports rather than fixed ones: a second checkout running its suite at the same time must not collide.
/// </summary>
internal sealed class PrivateInflux : IAsyncDisposable
{
    public int HttpPort { get; } = FreePort();
    public int RpcPort { get; } = FreePort();
    public string Url => $"http://127.0.0.1:{HttpPort}";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "peregrine-influx-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly HttpClient _http;
    private Process? _process;

    public PrivateInflux()
    {
        _http = new() { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(10) };
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "influxdb.conf"), $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{RpcPort}"
            [meta]
              dir = "{_root}/meta"
            [data]
              dir = "{_root}/data"
              wal-dir = "{_root}/wal"
              query-log-enabled = false
            [monitor]
              store-enabled = false
            [http]
              enabled = true
              bind-address = "127.0.0.1:{HttpPort}"
              auth-enabled = false
              log-enabled = false
            [logging]
              level = "warn"
            """);
    }

    public HttpClient Http => _http;

    // A port the kernel just handed out and took back: free now, and kept for this instance's restarts.
    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task StartAsync()
    {
        if (await PingAsync()) throw new InvalidOperationException($"something already answers on {Url}; a leftover influxd?");
        _process = Process.Start(new ProcessStartInfo("influxd", ["run", "-config", Path.Combine(_root, "influxdb.conf")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!await PingAsync())
        {
            if (_process.HasExited) throw new InvalidOperationException($"influxd exited with {_process.ExitCode}");
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("influxd did not answer /ping within 30 s");
            await Task.Delay(100);
        }
    }

    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async Task<bool> PingAsync()
    {
        try
        {
            using var r = await _http.GetAsync("/ping");
            return r.IsSuccessStatusCode;
        }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) { return false; }
    }

    public async Task<string> QueryAsync(string database, string influxQl)
    {
        using var r = await _http.PostAsync("/query", new FormUrlEncodedContent(new Dictionary<string, string> { ["db"] = database, ["q"] = influxQl }));
        return await r.Content.ReadAsStringAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Xunit.Abstractions;

namespace Peregrine.Domain.Tests.Geo;

/// <summary>
/// The h3-js 4.5.0 oracle vectors (tests/node/h3/generate-vectors.js), loaded once per test run.
/// Each array mirrors one h3-js function; cells are hex strings, coordinates degrees.
/// </summary>
public sealed class H3Vectors : IDisposable
{
    private readonly JsonDocument _doc;

    public H3Vectors()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Geo", "vectors", "h3-vectors.json.gz");
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        _doc = JsonDocument.Parse(gzip);
    }

    public string Generator => _doc.RootElement.GetProperty("generator").GetString()!;

    public JsonElement.ArrayEnumerator this[string name] => _doc.RootElement.GetProperty(name).EnumerateArray();

    public static ulong Cell(JsonElement e) => ulong.Parse(e.GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static (double Lat, double Lng) Point(JsonElement e) => (e[0].GetDouble(), e[1].GetDouble());

    public static ulong[] Cells(JsonElement e) => e.EnumerateArray().Select(Cell).ToArray();

    public void Dispose() => _doc.Dispose();
}

/// <summary>Collects mismatches so one test reports every failing case of a kind, not just the first.</summary>
internal sealed class Mismatches(string what)
{
    private readonly List<string> _samples = [];

    public int Cases { get; private set; }

    public int Failures { get; private set; }

    public void Check(bool ok, Func<string> describe)
    {
        Cases++;
        if (ok) return;
        Failures++;
        if (_samples.Count < 20) _samples.Add(describe());
    }

    public void AssertNone(ITestOutputHelper output)
    {
        output.WriteLine($"{what}: {Cases - Failures}/{Cases} cases match h3-js");
        Assert.True(Cases > 0, $"{what}: no vectors");
        Assert.True(Failures == 0, $"{what}: {Failures}/{Cases} mismatches, e.g.\n  " + string.Join("\n  ", _samples));
    }
}

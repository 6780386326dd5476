// H3 throughput against h3-js: LatLngToCell, CellToBoundary and GridDisk(k=2), a million calls
// each over the same uniform points (res 9) as h3js-bench.js. Run everything with bench/H3/run.sh;
// `dotnet run -c Release --project bench/H3 -- [calls] [h3js-results.json]` runs the C# side and,
// given the h3-js results, prints the ratios.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Peregrine.Domain.Geo;

int n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
string? h3jsFile = args.Length > 1 ? args[1] : null;
const int Res = 9;
const int Repetitions = 5;

var (lats, lngs) = Points(n);
var cells = new ulong[n];
for (int i = 0; i < n; i++) cells[i] = H3.LatLngToCell(lats[i], lngs[i], Res);

var results = new List<(string Name, double OpsPerSec, double BytesPerOp)>
{
    Time("LatLngToCell", count =>
    {
        ulong x = 0;
        for (int i = 0; i < count; i++) x ^= H3.LatLngToCell(lats[i], lngs[i], Res);
        return (long)x;
    }),
    Time("CellToBoundary", count =>
    {
        long x = 0;
        for (int i = 0; i < count; i++) x += H3.CellToBoundary(cells[i]).Count;
        return x;
    }),
    Time("GridDisk(k=2)", count =>
    {
        long x = 0;
        for (int i = 0; i < count; i++) x += H3.GridDisk(cells[i], 2).Count;
        return x;
    }),
};

Dictionary<string, double>? h3js = null;
string h3jsLabel = "";
if (h3jsFile is not null)
{
    using var doc = JsonDocument.Parse(File.ReadAllText(h3jsFile));
    h3js = doc.RootElement.GetProperty("results").EnumerateObject()
        .ToDictionary(p => p.Name, p => p.Value.GetProperty("opsPerSec").GetDouble());
    h3jsLabel = $"h3-js {doc.RootElement.GetProperty("h3js").GetString()} on node {doc.RootElement.GetProperty("node").GetString()}";
}

Console.WriteLine($"H3 benchmark: {n:N0} calls per operation (best of {Repetitions}), resolution {Res}, .NET {Environment.Version}, {Environment.ProcessorCount} cores");
if (h3js is not null) Console.WriteLine($"against {h3jsLabel}");
Console.WriteLine();
Console.WriteLine($"{"operation",-16} {"C# ops/s",14} {"h3-js ops/s",14} {"C#/h3-js",9} {"C# bytes/op",12}");
bool allMet = true;
foreach (var (name, ops, bytes) in results)
{
    string js = "", ratio = "";
    if (h3js is not null && h3js.TryGetValue(name, out double jsOps))
    {
        js = jsOps.ToString("N0", CultureInfo.InvariantCulture);
        ratio = (ops / jsOps).ToString("0.00", CultureInfo.InvariantCulture) + "x";
        allMet &= ops / jsOps >= 2.0;
    }

    Console.WriteLine($"{name,-16} {ops.ToString("N0", CultureInfo.InvariantCulture),14} {js,14} {ratio,9} {bytes,12:0.#}");
}

if (h3js is not null) Console.WriteLine(allMet ? "\ntarget met: every operation at least 2x h3-js" : "\ntarget NOT met: some operation below 2x h3-js");
bool zeroAlloc = results[0].BytesPerOp == 0;
Console.WriteLine(zeroAlloc ? "LatLngToCell allocates nothing" : $"LatLngToCell ALLOCATES ({results[0].BytesPerOp * n:0} bytes in {n:N0} calls)");
return allMet && zeroAlloc ? 0 : 1;

(string, double, double) Time(string name, Func<int, long> loop)
{
    // warm up through tiering (tier-0 → OSR/PGO → tier-1)
    for (int w = 0; w < 3; w++) loop(Math.Min(n, 200_000));

    // best of several runs: the machine is shared, and the best run is the least disturbed one
    double best = double.MaxValue;
    long allocated = 0;
    for (int rep = 0; rep < Repetitions; rep++)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        long sink = loop(n);
        var elapsed = Stopwatch.GetElapsedTime(start);
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(sink);
        best = Math.Min(best, elapsed.TotalSeconds);
    }

    return (name, n / best, (double)allocated / n);
}

// xorshift64*, uniform on the sphere — the same stream as h3js-bench.js
static (double[] Lats, double[] Lngs) Points(int count)
{
    var lats = new double[count];
    var lngs = new double[count];
    ulong s = 0x9e3779b97f4a7c15UL;
    double Next()
    {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        return ((s * 0x2545f4914f6cdd1dUL) >> 11) / 9007199254740992.0;
    }

    for (int i = 0; i < count; i++)
    {
        lats[i] = Math.Asin(2 * Next() - 1) * 180 / Math.PI;
        lngs[i] = Next() * 360 - 180;
    }

    return (lats, lngs);
}

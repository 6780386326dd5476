// Slices one continuous pgbench run into measured windows. pgbench runs warm-up + repeats x duration
// seconds on the same connections (so prepared statements and plans stay warm across repeats, as
// they do in a server's pool), logging every transaction (-l: "client tx latency_us script epoch us").
// Prints one JSON line per window: {rps, p50, p99} with latencies in ms.
//   node floorstats.mjs <start-epoch-seconds> <warmup> <duration> <repeats> <log files...>
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

const [start, warmup, duration, repeats, ...files] = process.argv.slice(2);
const t0 = Number(start) + Number(warmup);
const d = Number(duration);
const n = Number(repeats);
const windows = Array.from({ length: n }, () => []);

for (const file of files) {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    const f = line.split(" ");
    if (f.length < 6) continue;
    const latency = Number(f[2]);
    if (!Number.isFinite(latency)) continue; // "failed"/"skipped" transactions
    const done = Number(f[4]) + Number(f[5]) / 1e6;
    const w = Math.floor((done - t0) / d);
    if (w >= 0 && w < n) windows[w].push(latency / 1000);
  }
}

for (const lat of windows) {
  lat.sort((a, b) => a - b);
  const q = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor((lat.length - 1) * p))] : 0);
  console.log(JSON.stringify({ rps: lat.length / d, p50: q(0.5), p99: q(0.99), requests: lat.length }));
}

// Prints the results table from results.jsonl (one line per measured run: scenario, target, rps,
// p50, p99, errors): medians over the repeats, and the ratios Peregrine/PostGraphile and Peregrine/floor,
// the compiled statement against the hand-written one (handwritten/<scenario>.sql) as compiled/hand-written,
// for Peregrine as shipped and with its result cache off ("uncached": every request runs its statement).
//   node report.mjs <results.jsonl> <params.json>
import { readFileSync } from "node:fs";
import { NAMES, loadParams, scenarios } from "./scenarios.mjs";

const [resultsFile, paramsFile] = process.argv.slice(2);
const rows = readFileSync(resultsFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const defs = scenarios(loadParams(paramsFile));
const TARGETS = ["peregrine", "uncached", "postgraphile", "floor", "handwritten", "obvious"];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

const cell = (scenario, target) => {
  const runs = rows.filter((r) => r.scenario === scenario && r.target === target);
  if (!runs.length) return null;
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((a, r) => a + (r.errors ?? 0), 0),
    runs: runs.length,
  };
};

const num = (x, digits = 0) => (x == null || Number.isNaN(x) ? "-" : x.toFixed(digits));
const ms = (x) => (x == null || Number.isNaN(x) ? "-" : x < 10 ? x.toFixed(2) : x.toFixed(1));
const ratio = (a, b) => (a && b?.rps > 0 ? `${(a.rps / b.rps).toFixed(2)}x` : "-");

const header = ["scenario", "target", "req/s", "p50 ms", "p99 ms", "errors", "runs"];
const table = [header];
const ratios = [["scenario", "Peregrine/PostGraphile", "Peregrine/floor", "uncached/PostGraphile", "uncached/floor", "hand-written TPS", "compiled/hand-written", "floor/obvious SQL"]];
for (const name of NAMES) {
  const c = Object.fromEntries(TARGETS.map((t) => [t, cell(name, t)]));
  if (!TARGETS.some((t) => c[t])) continue;
  for (const t of TARGETS) {
    const v = c[t];
    if ((t === "obvious" || t === "uncached" || t === "handwritten") && !v) continue;
    const label = { floor: "SQL floor (pgbench)", handwritten: "hand-written SQL (pgbench)", obvious: "obvious SQL (pgbench)", peregrine: "Peregrine",
      uncached: "Peregrine, no result cache", postgraphile: "PostGraphile 5" }[t];
    table.push([name, label,
      v ? num(v.rps) : "-", v ? ms(v.p50) : "-", v ? ms(v.p99) : "-", v ? String(v.errors) : "-", v ? String(v.runs) : "0"]);
  }
  ratios.push([name, ratio(c.peregrine, c.postgraphile), ratio(c.peregrine, c.floor),
    ratio(c.uncached, c.postgraphile), ratio(c.uncached, c.floor),
    c.handwritten ? num(c.handwritten.rps) : "-", ratio(c.floor, c.handwritten), ratio(c.floor, c.obvious)]);
}

const print = (t) => {
  const widths = t[0].map((_, i) => Math.max(...t.map((r) => r[i].length)));
  for (const [k, r] of t.entries()) {
    console.log(r.map((v, i) => (i < 2 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  "));
    if (k === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
};

console.log("Scenarios:");
for (const name of NAMES) if (rows.some((r) => r.scenario === name)) console.log(`  ${name.padEnd(10)} ${defs[name].title}`);
console.log("");
print(table);
console.log("");
print(ratios);

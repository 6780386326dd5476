#!/usr/bin/env node
// The h3-js side of bench/H3: the same three loops as Program.cs over the same inputs,
// printing one JSON object of ops/s per operation on stdout.
'use strict';
const h3 = require('h3-js');

const N = Number(process.argv[2] || 1_000_000);
const RES = 9;
const REPETITIONS = 5;

// Same generator as Program.cs: xorshift64*, uniform on the sphere.
function* points(n) {
    let s = 0x9e3779b97f4a7c15n;
    const mask = (1n << 64n) - 1n;
    const next = () => {
        s ^= s >> 12n; s ^= (s << 25n) & mask; s ^= s >> 27n;
        return Number(((s * 0x2545f4914f6cdd1dn) & mask) >> 11n) / 9007199254740992;
    };
    for (let i = 0; i < n; i++) {
        const lat = (Math.asin(2 * next() - 1) * 180) / Math.PI;
        const lng = next() * 360 - 180;
        yield [lat, lng];
    }
}

const lats = new Float64Array(N);
const lngs = new Float64Array(N);
let i = 0;
for (const [lat, lng] of points(N)) { lats[i] = lat; lngs[i] = lng; i++; }
const cells = new Array(N);
for (let j = 0; j < N; j++) cells[j] = h3.latLngToCell(lats[j], lngs[j], RES);

function time(name, fn) {
    fn(Math.min(N, 100_000)); // warm-up (JIT)
    // best of several runs, as in Program.cs: the machine is shared
    let secs = Infinity;
    let sink = 0;
    for (let rep = 0; rep < REPETITIONS; rep++) {
        const t0 = process.hrtime.bigint();
        sink = fn(N);
        secs = Math.min(secs, Number(process.hrtime.bigint() - t0) / 1e9);
    }
    return [name, { opsPerSec: N / secs, seconds: secs, sink }];
}

const results = Object.fromEntries([
    time('LatLngToCell', (n) => { let x = 0; for (let j = 0; j < n; j++) x += h3.latLngToCell(lats[j], lngs[j], RES).length; return x; }),
    time('CellToBoundary', (n) => { let x = 0; for (let j = 0; j < n; j++) x += h3.cellToBoundary(cells[j]).length; return x; }),
    time('GridDisk(k=2)', (n) => { let x = 0; for (let j = 0; j < n; j++) x += h3.gridDisk(cells[j], 2).length; return x; }),
]);
process.stdout.write(JSON.stringify({ h3js: require('h3-js/package.json').version, node: process.version, calls: N, results }) + '\n');

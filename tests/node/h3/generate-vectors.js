#!/usr/bin/env node
// Generates the deterministic h3-js oracle vectors replayed by
// tests/Peregrine.Domain.Tests/Geo (H3VectorTests). Run with `npm ci && npm run generate`;
// the output is committed, so tests need no npm at test time.
//
// Every value is what h3-js 4.5.0 (the C library compiled to wasm) answers. Cells are hex
// strings, coordinates are degrees exactly as h3-js returns them, and a `null` distance marks a
// case where h3 reports an error. The pseudo-random stream is seeded, so two runs produce the
// same bytes.
'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const h3 = require('h3-js');

const H3_JS_VERSION = require('h3-js/package.json').version;
const OUT = path.resolve(__dirname, '../../Peregrine.Domain.Tests/Geo/vectors/h3-vectors.json.gz');

// mulberry32: small, fast, deterministic.
function rng(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
const rand = rng(0x5eed0003);
function u() { return rand(); }
function int(n) { return Math.floor(u() * n); }
function uniformPoint() {
    // uniform on the sphere
    const lat = (Math.asin(2 * u() - 1) * 180) / Math.PI;
    const lng = u() * 360 - 180;
    return [lat, lng];
}
function tryOr(f, fallback) {
    try { return f(); } catch (e) { return fallback; }
}
const sorted = (cells) => [...cells].sort();
const big = (h) => BigInt('0x' + h);
const hex = (b) => b.toString(16);

const RES = [...Array(16).keys()];
const out = {
    generator: `h3-js@${H3_JS_VERSION}`,
    latLngToCell: [],   // [lat, lng, res, cell]
    latLngToCellOnVertex: [], // [lat, lng, res, cell] for points exactly on a cell vertex (ties)
    cells: [],          // [cell, res, baseCell, isPentagon, [lat, lng], [[lat, lng]...], areaKm2]
    parents: [],        // [cell, [parent at res 0..res]]
    children: [],       // [cell, childRes, size, [children] | null]
    gridDisk: [],       // [cell, k, [cells]]
    gridDistance: [],   // [a, b, distance | null]
    isValidCell: [],    // [index, valid]
    polygons: [],       // [[[lat, lng]...], res, [cells]]
};

const cellSet = new Map(); // cells whose centre/boundary/area we record
function recordCell(c) {
    if (!cellSet.has(c)) cellSet.set(c, true);
}

// ---- latLngToCell -------------------------------------------------------------------------
function addPoint(lat, lng, resList = RES, list = out.latLngToCell) {
    for (const res of resList) {
        const c = h3.latLngToCell(lat, lng, res);
        list.push([lat, lng, res, c]);
    }
}

// uniform points, every resolution
const uniform = [];
for (let i = 0; i < 2200; i++) {
    const p = uniformPoint();
    uniform.push(p);
    addPoint(p[0], p[1]);
}
// poles
for (const lat of [90, -90, 89.9999999, -89.9999999, 89.99, -89.99]) {
    for (const lng of [0, 45, 90, 135, 180, -180, -45, -90, -135, 12.3456]) addPoint(lat, lng);
}
// antimeridian, equator, prime meridian
for (let i = 0; i < 60; i++) {
    const lat = -89 + (178 * i) / 59;
    addPoint(lat, 180);
    addPoint(lat, -180);
    addPoint(lat, 179.9999999);
    addPoint(lat, -179.9999999);
}
for (let i = 0; i < 60; i++) {
    const lng = -180 + (360 * i) / 60 + 0.5;
    addPoint(0, lng);
    addPoint(1e-9, lng);
    addPoint(-1e-9, lng);
}
for (let i = 0; i < 20; i++) addPoint(-80 + 8 * i, 0);
// longitudes outside [-180, 180] are accepted by h3 and wrap
for (let i = 0; i < 30; i++) {
    const [lat, lng] = uniformPoint();
    addPoint(lat, lng + 360 * (1 + int(3)) * (u() < 0.5 ? -1 : 1), [0, 5, 9, 15]);
}
// around each pentagon (centres at every res, plus small offsets)
const pentagons0 = h3.getPentagons(0);
for (const p of pentagons0) {
    const [plat, plng] = h3.cellToLatLng(p);
    addPoint(plat, plng);
    for (let j = 0; j < 12; j++) {
        const d = Math.pow(10, -1 - int(6)) * (u() * 2 - 1);
        const e = Math.pow(10, -1 - int(6)) * (u() * 2 - 1);
        addPoint(plat + d, plng + e);
    }
}
// every base cell centre and a jitter around it
for (const bc of h3.getRes0Cells()) {
    const [lat, lng] = h3.cellToLatLng(bc);
    addPoint(lat, lng);
    addPoint(lat + (u() - 0.5) * 5, lng + (u() - 0.5) * 5, [0, 1, 2, 3, 7, 11, 15]);
}
// Points exactly on a cell vertex (base cell corners, which stay corners at every Class II
// resolution) are ties between three cells: the answer hangs on the last bit of the trig
// functions (musl in h3-js's wasm vs the platform libm), so they get their own list.
for (const bc of h3.getRes0Cells()) {
    for (const [lat, lng] of h3.cellToBoundary(bc)) addPoint(lat, lng, [0, 1, 2, 3, 4, 8, 12, 15], out.latLngToCellOnVertex);
}

// ---- cells: centres, boundaries, areas -----------------------------------------------------
for (const bc of h3.getRes0Cells()) recordCell(bc);
for (const res of RES) for (const p of h3.getPentagons(res)) recordCell(p);
for (const res of RES) {
    // pentagon neighbours (distortion, Class III edge vertices)
    for (const p of h3.getPentagons(res)) for (const n of h3.gridDisk(p, res < 2 ? 1 : 2)) recordCell(n);
    // a sample of the uniform cells
    for (let i = 0; i < 550; i++) {
        const [lat, lng] = uniform[i];
        recordCell(h3.latLngToCell(lat, lng, res));
    }
    // children of base cells along icosahedron edges: walk the base cell boundary
    for (const bc of h3.getRes0Cells().filter((_, i) => i % 6 === 0)) {
        for (const [lat, lng] of h3.cellToBoundary(bc)) recordCell(h3.latLngToCell(lat, lng, res));
    }
}
// cells at and around the poles (asin-sensitive latitudes) and along the antimeridian
for (const res of RES) {
    for (const lat of [90, -90, 89.999, -89.999]) for (const n of h3.gridDisk(h3.latLngToCell(lat, 0, res), 1)) recordCell(n);
    for (const lat of [-60, 0, 45]) for (const n of h3.gridDisk(h3.latLngToCell(lat, 180, res), 1)) recordCell(n);
}
for (const c of cellSet.keys()) {
    out.cells.push([
        c,
        h3.getResolution(c),
        h3.getBaseCellNumber(c),
        h3.isPentagon(c),
        h3.cellToLatLng(c),
        h3.cellToBoundary(c),
        h3.cellArea(c, 'km2'),
    ]);
}

// ---- parents ---------------------------------------------------------------------------------
for (let i = 0; i < 700; i++) {
    const [lat, lng] = uniform[i];
    const res = i < 600 ? 15 : int(16);
    const c = h3.latLngToCell(lat, lng, res);
    const ps = [];
    for (let r = 0; r <= res; r++) ps.push(h3.cellToParent(c, r));
    out.parents.push([c, ps]);
}
for (const res of [1, 5, 10, 15]) {
    for (const p of h3.getPentagons(res)) {
        for (const n of h3.gridDisk(p, 1)) {
            const ps = [];
            for (let r = 0; r <= res; r++) ps.push(h3.cellToParent(n, r));
            out.parents.push([n, ps]);
        }
    }
}

// ---- children ---------------------------------------------------------------------------------
function addChildren(c, childRes, list) {
    const size = h3.cellToChildrenSize(c, childRes);
    out.children.push([c, childRes, size, list ? sorted(h3.cellToChildren(c, childRes)) : null]);
}
for (let i = 0; i < 220; i++) {
    const [lat, lng] = uniform[i];
    const res = int(15);
    const c = h3.latLngToCell(lat, lng, res);
    const maxN = Math.min(15 - res, 3);
    addChildren(c, res + int(maxN + 1), true);
    addChildren(c, res + int(16 - res), false);
}
for (const res of [0, 1, 2, 5, 8, 12, 13, 14, 15]) {
    for (const p of h3.getPentagons(res)) {
        for (let n = 0; n <= Math.min(3, 15 - res); n++) addChildren(p, res + n, true);
        addChildren(p, 15, false);
    }
}
for (const bc of h3.getRes0Cells()) {
    addChildren(bc, 1, true);
    addChildren(bc, 15, false);
}

// ---- gridDisk ---------------------------------------------------------------------------------
function addDisk(c, k) {
    out.gridDisk.push([c, k, sorted(h3.gridDisk(c, k))]);
}
for (const res of RES) {
    for (const p of h3.getPentagons(res)) {
        for (let k = 0; k <= 4; k++) addDisk(p, k);
        // next to pentagons: ring 1 and ring 2 cells
        const near = h3.gridDisk(p, 2).filter((x) => x !== p);
        for (let j = 0; j < 3 && near.length; j++) {
            const n = near[int(near.length)];
            for (let k = 0; k <= 4; k++) addDisk(n, k);
        }
    }
}
for (let i = 0; i < 400; i++) {
    const [lat, lng] = uniform[i];
    addDisk(h3.latLngToCell(lat, lng, int(16)), int(5));
}
for (const bc of h3.getRes0Cells()) addDisk(bc, 1 + int(2));

// ---- gridDistance ---------------------------------------------------------------------------
function addDistance(a, b) {
    out.gridDistance.push([a, b, tryOr(() => h3.gridDistance(a, b), null)]);
}
for (let i = 0; i < 500; i++) {
    const [lat, lng] = uniform[i];
    const res = int(16);
    const a = h3.latLngToCell(lat, lng, res);
    const ring = h3.gridDisk(a, 1 + int(6));
    addDistance(a, ring[int(ring.length)]);
    addDistance(ring[int(ring.length)], a);
}
for (const res of RES) {
    for (const p of h3.getPentagons(res)) {
        const ring = h3.gridDisk(p, 4);
        for (let j = 0; j < 6; j++) addDistance(p, ring[int(ring.length)]);
        for (let j = 0; j < 8; j++) addDistance(ring[int(ring.length)], ring[int(ring.length)]);
    }
}
// far apart (different base cells, not neighbours)
for (let i = 0; i < 150; i++) {
    const [a1, o1] = uniform[i];
    const [a2, o2] = uniform[i + 1000];
    const res = int(16);
    addDistance(h3.latLngToCell(a1, o1, res), h3.latLngToCell(a2, o2, res));
}
// neighbouring base cells at fine resolutions, both sides of the boundary
for (let i = 0; i < 150; i++) {
    const bc = h3.getRes0Cells()[int(122)];
    const bnd = h3.cellToBoundary(bc);
    const [lat, lng] = bnd[int(bnd.length)];
    const res = 1 + int(15);
    const a = h3.latLngToCell(lat + (u() - 0.5) * 0.5, lng + (u() - 0.5) * 0.5, res);
    const b = h3.latLngToCell(lat + (u() - 0.5) * 0.5, lng + (u() - 0.5) * 0.5, res);
    addDistance(a, b);
}
// different resolutions
for (let i = 0; i < 40; i++) {
    const [lat, lng] = uniform[i];
    const r = int(15);
    addDistance(h3.latLngToCell(lat, lng, r), h3.latLngToCell(lat, lng, r + 1));
}

// ---- isValidCell ---------------------------------------------------------------------------
function addValid(b) {
    const s = hex(b & ((1n << 64n) - 1n));
    out.isValidCell.push([s, h3.isValidCell(s)]);
}
for (let i = 0; i < 300; i++) {
    const [lat, lng] = uniform[i];
    const c = big(h3.latLngToCell(lat, lng, int(16)));
    const res = Number((c >> 52n) & 15n);
    addValid(c);
    addValid(c | (1n << 63n));                                  // high bit
    addValid((c & ~(15n << 59n)) | (BigInt(int(16)) << 59n));   // mode (0..15)
    addValid(c | (BigInt(1 + int(7)) << 56n));                  // reserved bits
    addValid((c & ~(127n << 45n)) | (BigInt(122 + int(6)) << 45n)); // base cell 122..127
    if (res > 0) {                                              // a digit 7 inside the resolution
        const d = 1 + int(res);
        addValid(c | (7n << BigInt(3 * (15 - d))));
    }
    if (res < 15) {                                             // an unused digit not 7
        const d = res + 1 + int(15 - res);
        addValid(c & ~(BigInt(1 + int(7)) << BigInt(3 * (15 - d))));
    }
    // resolution changed without fixing digits
    addValid((c & ~(15n << 52n)) | (BigInt(int(16)) << 52n));
}
for (const res of RES) {
    for (const p of h3.getPentagons(res)) {
        const c = big(p);
        addValid(c);
        // deleted subsequence: first non-zero digit is 1
        for (let d = 1; d <= res; d++) {
            let x = c | (1n << BigInt(3 * (15 - d)));
            addValid(x);
            // digits after it are free
            if (d < res) addValid(x | (BigInt(2 + int(5)) << BigInt(3 * (15 - res))));
        }
        if (res > 0) addValid(c | (2n << BigInt(3 * (15 - res)))); // valid pentagon child region
    }
}
for (const s of ['0', '1', 'ffffffffffffffff', '8000000000000000', '85283473fffffff', '8f28308280f18f2',
    '7fffffffffffffff', '807ffffffffffff', '80f3fffffffffff', '8ff3fffffffffff', '1ff3fffffffffff']) {
    addValid(big(s));
}
for (let i = 0; i < 200; i++) addValid((BigInt(int(2 ** 32)) << 32n) | BigInt(int(2 ** 32)));

// ---- polygonToCells ---------------------------------------------------------------------------
// cell size (approx. edge, degrees) by res, to pick polygons that produce a manageable set
const EDGE_DEG = [9.9, 3.8, 1.4, 0.54, 0.2, 0.077, 0.029, 0.011, 0.0041, 0.0016, 0.00059, 0.00022, 0.000085, 0.000032, 0.000012, 0.0000046];
function addPolygon(ring, res) {
    // h3's flood fill can fail (E_FAILED) when its size estimate is too small; skip those
    const cells = tryOr(() => h3.polygonToCells(ring, res), null);
    if (cells === null || cells.length > 6000) return false;
    out.polygons.push([ring, res, sorted(cells)]);
    return true;
}
function randomRing(lat0, lng0, radius, n, jag) {
    const ring = [];
    const start = u() * 2 * Math.PI;
    for (let i = 0; i < n; i++) {
        const t = start + (2 * Math.PI * i) / n;
        const r = radius * (1 - jag * u());
        let lat = lat0 + r * Math.sin(t);
        let lng = lng0 + (r * Math.cos(t)) / Math.max(0.2, Math.cos((lat0 * Math.PI) / 180));
        lat = Math.max(-89, Math.min(89, lat));
        if (lng > 180) lng -= 360;
        if (lng < -180) lng += 360;
        ring.push([lat, lng]);
    }
    if (u() < 0.5) ring.reverse(); // either winding
    return ring;
}
for (let i = 0; i < 260; i++) {
    const res = int(12);
    const [lat0, lng0] = uniform[(i * 7) % uniform.length];
    const radius = EDGE_DEG[res] * (2 + u() * 20);
    const n = 3 + int(10);
    addPolygon(randomRing(Math.max(-80, Math.min(80, lat0)), lng0, radius, n, u() < 0.5 ? 0 : 0.6), res);
}
// antimeridian-crossing polygons
for (let i = 0; i < 40; i++) {
    const res = int(9);
    const lat0 = (u() - 0.5) * 140;
    const radius = EDGE_DEG[res] * (3 + u() * 15);
    addPolygon(randomRing(lat0, 180 - radius * 0.3 * u() * (u() < 0.5 ? -1 : 1), Math.min(radius, 40), 4 + int(8), u() * 0.5), res);
}
// around pentagons
for (const p of pentagons0) {
    const [plat, plng] = h3.cellToLatLng(p);
    for (const res of [1, 3, 4, 6, 9]) {
        addPolygon(randomRing(plat, plng, EDGE_DEG[res] * (3 + u() * 6), 5 + int(6), 0.3), res);
    }
}
// near poles (not containing them)
for (const lat0 of [84, -84, 86, -86]) {
    for (const res of [2, 4, 6]) addPolygon(randomRing(lat0, u() * 360 - 180, EDGE_DEG[res] * 6, 6, 0.2), res);
}
// fixed shapes: a tall thin rectangle, a concave "C", a big triangle at res 0..3
addPolygon([[10, 10], [10, 10.2], [30, 10.2], [30, 10]], 5);
addPolygon([[0, 0], [0, 10], [2, 10], [2, 2], [8, 2], [8, 10], [10, 10], [10, 0]], 4);
for (const res of [0, 1, 2, 3]) addPolygon([[-30, -40], [40, 10], [-20, 60]], res);
addPolygon([[37.813318999983238, -122.4089866999972145], [37.7198061999978478, -122.3544736999993603],
    [37.8151571999998453, -122.4798767000009008]], 9);

// ---- write --------------------------------------------------------------------------------
fs.mkdirSync(path.dirname(OUT), { recursive: true });
const json = JSON.stringify(out);
fs.writeFileSync(OUT, zlib.gzipSync(json, { level: 9 }));
const counts = Object.entries(out).filter(([, v]) => Array.isArray(v)).map(([k, v]) => `${k}=${v.length}`);
console.log(`wrote ${OUT} (${(fs.statSync(OUT).size / 1e6).toFixed(2)} MB gz, ${(json.length / 1e6).toFixed(1)} MB json)`);
console.log(counts.join(' '));

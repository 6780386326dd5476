// Helpers for the operator-feature tests. Server processes, databases and private Redis come from the
// realtime folder's harness (./peregrine test installs every Node folder before running any).
'use strict';
const path = require('node:path');
const { spawn } = require('node:child_process');
const harness = require('../../realtime/lib/harness.js');

const ROOT = path.resolve(__dirname, '../../../..');
const DLL = path.join(ROOT, 'src/Peregrine.Graph/bin/Debug/net10.0/Peregrine.Graph.dll');
const admin = { 'x-hasura-admin-secret': harness.ADMIN_SECRET };

/** Prometheus text → Map of "name{labels}" → value (labels as printed, otel_scope_* dropped). */
function parseMetrics(text) {
  const out = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][\w:]*)(\{.*\})?\s+(\S+)/);
    if (!m) continue;
    const labels = (m[2] || '').replace(/otel_scope_name="[^"]*",?/, '').replace(/otel_scope_version="[^"]*",?/, '').replace(/,}$/, '}').replace(/^\{\}$/, '');
    out.set(m[1] + labels, Number(m[3]));
  }
  return out;
}

/** Sum of every series of metric `name` whose labels include all of `want` (e.g. {operation_name: 'X'}). */
function metric(map, name, want = {}) {
  let sum = 0;
  for (const [key, value] of map) {
    if (!(key === name || key.startsWith(name + '{'))) continue;
    if (Object.entries(want).every(([k, v]) => key.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}

async function scrape(server, headers = {}) {
  const r = await fetch(`${server.http}/metrics`, { headers });
  if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`);
  return parseMetrics(await r.text());
}

/** Runs the server binary to completion (for start-up refusals): { code, stdout, stderr }. */
function runToExit(env, args = [], timeoutMs = 60000) {
  return new Promise((resolve, reject) => {
    const p = spawn('dotnet', [DLL, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    const t = setTimeout(() => { p.kill('SIGKILL'); reject(new Error('server did not exit: ' + stdout + stderr)); }, timeoutMs);
    p.on('exit', (code) => { clearTimeout(t); resolve({ code, stdout, stderr }); });
  });
}

// --- a minimal protobuf reader, enough for OTLP's ExportTraceServiceRequest ---
function fields(buf) {
  const out = [];
  let i = 0;
  const varint = () => {
    let shift = 0n, v = 0n;
    for (;;) {
      const b = buf[i++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const no = key >> 3, wire = key & 7;
    if (wire === 0) out.push({ no, value: varint() });
    else if (wire === 1) { out.push({ no, value: buf.subarray(i, i + 8) }); i += 8; }
    else if (wire === 2) { const len = Number(varint()); out.push({ no, value: buf.subarray(i, i + len) }); i += len; }
    else if (wire === 5) { out.push({ no, value: buf.subarray(i, i + 4) }); i += 4; }
    else throw new Error('unsupported wire type ' + wire);
  }
  return out;
}

function anyValue(buf) {
  for (const f of fields(buf)) {
    if (f.no === 1) return f.value.toString('utf8');
    if (f.no === 2) return f.value !== 0n;
    if (f.no === 3) return Number(f.value);
  }
  return undefined;
}

/** ExportTraceServiceRequest bytes → [{ name, traceId, spanId, parentSpanId, attributes }] (ids as hex). */
function decodeSpans(buf) {
  const spans = [];
  for (const rs of fields(buf).filter((f) => f.no === 1))          // resource_spans
    for (const ss of fields(rs.value).filter((f) => f.no === 2))   // scope_spans
      for (const sp of fields(ss.value).filter((f) => f.no === 2)) { // spans
        const span = { attributes: {} };
        for (const f of fields(sp.value)) {
          if (f.no === 1) span.traceId = f.value.toString('hex');
          else if (f.no === 2) span.spanId = f.value.toString('hex');
          else if (f.no === 4) span.parentSpanId = f.value.toString('hex');
          else if (f.no === 5) span.name = f.value.toString('utf8');
          else if (f.no === 9) {
            const kv = fields(f.value);
            const k = kv.find((x) => x.no === 1)?.value.toString('utf8');
            const v = kv.find((x) => x.no === 2);
            if (k) span.attributes[k] = v ? anyValue(v.value) : undefined;
          }
        }
        spans.push(span);
      }
  return spans;
}

module.exports = { ...harness, DLL, admin, parseMetrics, metric, scrape, runToExit, decodeSpans };

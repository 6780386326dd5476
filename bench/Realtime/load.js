// Load generator and orchestrator for bench/Realtime/run.sh. See run.sh for the knobs.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const pg = require('pg');
const WebSocket = require('ws');

const cfg = {
  subscribers: +(process.env.SUBSCRIBERS || 10000),
  cells: +(process.env.CELLS || 1000),
  rate: +(process.env.RATE || 10),
  duration: +(process.env.DURATION || 60),
  runs: (process.env.INSTANCES || '1,2').split(',').map(Number),
  redis: process.env.PEREGRINE_REDIS_URL || '',
  filter: { like: '_like', eq: '_eq' }[process.env.FILTER] || '_h3_in_cell',
};
const DLL = path.join(__dirname, '.server/Peregrine.Graph.dll');
const SECRET = 'bench-realtime';
const FEED = 'subscription NewPhenoms { phenom_reports(order_by: { timestamp: desc } limit: 10) { id timestamp location } }';
// The filtered groups: `_h3_in_cell` as the issue says (FILTER=eq: `_eq` on the stored h3_index).
// FILTER=like uses `_like` instead, which the server cannot judge from an event's row: every cell group
// then re-runs on every write, and multiplexing is what keeps that to a few statements.
const FILTER_OP = { like: '_like', eq: '_eq' }[process.env.FILTER] || '_h3_in_cell';
const CELL_FEED = `subscription CellPhenoms($cell: String!) { phenom_reports(where: {h3_index: {${FILTER_OP}: $cell}}, order_by: { timestamp: desc } limit: 10) { id timestamp location } }`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(new Date().toISOString().slice(11, 19), ...a);

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function createDatabase() {
  const base = new URL(process.env.PEREGRINE_DATABASE_URL);
  const name = 'peregrine_bench_rt_' + crypto.randomBytes(4).toString('hex');
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = '/' + name;
  const env = { ...process.env, PEREGRINE_DATABASE_URL: url.toString() };
  execFileSync('dotnet', [DLL, 'migrate'], { env, stdio: 'pipe' });
  execFileSync('dotnet', [DLL, 'seed', '--reports', '2000'], { env, stdio: 'pipe' });
  return {
    url: url.toString(), name,
    async xacts() {
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      const r = await c.query('SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = current_database()');
      await c.end();
      return Number(r.rows[0].n);
    },
    async drop() {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

async function startServer(db, redisUrl) {
  const port = await freePort();
  const env = { ...process.env, PEREGRINE_DATABASE_URL: db.url, PEREGRINE_REDIS_URL: redisUrl, PEREGRINE_ADMIN_SECRET: SECRET,
    // 10,000 sockets opening at once on a shared 2-core machine: more than graphql-ws's 3 s to say connection_init.
    PEREGRINE_WS_INIT_TIMEOUT_SECONDS: '30',
    Logging__LogLevel__Default: 'Warning', DOTNET_gcServer: '0' };
  const proc = spawn('dotnet', [DLL, '--urls', `http://127.0.0.1:${port}`], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const http = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try { if ((await fetch(`${http}/healthz`)).ok) break; } catch { /* starting */ }
    await sleep(100);
  }
  const s = {
    pid: proc.pid, http, ws: `ws://127.0.0.1:${port}/v1/graphql`,
    async stats() { return (await fetch(`${http}/v1/realtime/stats`, { headers: { 'x-hasura-admin-secret': SECRET } })).json(); },
    cpuSeconds() {
      const f = fs.readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 1/100 s
    },
    rssMb() { return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'))[1]) / 1024; },
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, sleep(5000).then(() => proc.kill('SIGKILL'))]);
    },
  };
  return s;
}

// Real resolution-7 cells around Manhattan (the server checks that a report's h3_index contains its location).
const h3 = require('h3-js');
const CELLS = h3.gridDisk(h3.latLngToCell(40.75, -73.98, 7), 40).slice(0, cfg.cells);
function cellName(i) { return CELLS[i]; }
function cellCenter(i) { const [lat, lng] = h3.cellToLatLng(CELLS[i]); return [lng, lat]; }

/** One subscriber: a raw graphql-transport-ws socket with one subscription. */
function subscriber(url, group, cell, metrics, inserted) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    const sub = { ws, group, seen: new Set(), first: false, last: '' };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { headers: { 'x-hasura-admin-secret': SECRET } } })));
    ws.on('message', (buf) => {
      const text = buf.toString();
      const m = JSON.parse(text);
      if (m.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: group === 0 ? { query: FEED } : { query: CELL_FEED, variables: { cell } } }));
      } else if (m.type === 'next') {
        const now = Date.now();
        if (!sub.first) { sub.first = true; resolve(sub); return; }
        metrics.messages++;
        if (text === sub.last) metrics.duplicates++;
        sub.last = text;
        for (const row of m.payload.data.phenom_reports) {
          const w = inserted.get(row.id);
          if (!w || sub.seen.has(row.id)) continue;
          sub.seen.add(row.id);
          metrics.delivered++;
          metrics.latencies.push(now - w.sent);
        }
      } else if (m.type === 'error') {
        reject(new Error(text));
      }
    });
    ws.on('error', reject);
    ws.on('close', (code) => { if (!sub.first) reject(new Error('closed ' + code)); else metrics.closed++; });
  });
}

function pct(sorted, p) { return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN; }

async function run(db, instances) {
  log(`run: ${instances} instance(s), ${cfg.subscribers} subscribers, ${cfg.cells + 1} groups, ${cfg.rate} writes/s for ${cfg.duration} s`);
  const servers = [];
  try {
    return await measure(db, instances, servers);
  } finally {
    for (const s of servers) await s.stop().catch(() => {});
  }
}

async function measure(db, instances, servers) {
  for (let i = 0; i < instances; i++) servers.push(await startServer(db, cfg.redis));
  await sleep(1000);
  const metrics = { messages: 0, duplicates: 0, delivered: 0, latencies: [], closed: 0 };
  const inserted = new Map();
  const groupSize = new Array(cfg.cells + 1).fill(0);
  const subs = [];
  const t0 = Date.now();
  const BATCH = 200;
  for (let i = 0; i < cfg.subscribers; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(cfg.subscribers, i + BATCH); j++) {
      const group = j % (cfg.cells + 1);
      groupSize[group]++;
      batch.push(subscriber(servers[j % instances].ws, group, group === 0 ? null : cellName(group - 1), metrics, inserted));
    }
    subs.push(...(await Promise.all(batch)));
  }
  log(`${subs.length} subscribers have their first result after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // Idle: subscribers connected, nobody writing. Nothing should reach PostgreSQL. An idle backend
  // reports its statistics up to 10 s late (PGSTAT_IDLE_INTERVAL), hence the settling time first.
  await sleep(11000);
  const idleRuns0 = (await Promise.all(servers.map((s) => s.stats()))).reduce((a, s) => a + s.refreshes, 0);
  const idle0 = await db.xacts();
  await sleep(5000);
  const idleXacts = (await db.xacts()) - idle0 - 1; // minus our own probe
  const idleRuns = (await Promise.all(servers.map((s) => s.stats()))).reduce((a, s) => a + s.refreshes, 0) - idleRuns0;
  log(`idle 5 s: ${idleRuns} live-query runs, ${idleXacts} PostgreSQL transactions`);

  const before = { stats: await Promise.all(servers.map((s) => s.stats())), cpu: servers.map((s) => s.cpuSeconds()), xacts: await db.xacts() };
  let maxRss = 0;
  const rssTimer = setInterval(() => { maxRss = Math.max(maxRss, servers.reduce((a, s) => a + s.rssMb(), 0)); }, 500);
  let expected = 0;
  let writes = 0;
  let writeErrors = 0;
  const tStart = Date.now();
  const total = cfg.rate * cfg.duration;
  const pending = [];
  for (let k = 0; k < total; k++) {
    const due = tStart + (k * 1000) / cfg.rate;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const cellIndex = (k * 7919) % cfg.cells; // spread over the cells
    const id = crypto.randomUUID();
    const sent = Date.now();
    inserted.set(id, { sent, cell: cellIndex });
    expected += groupSize[0] + groupSize[cellIndex + 1];
    const target = servers[k % instances];
    pending.push(fetch(`${target.http}/v1/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': SECRET },
      body: JSON.stringify({
        query: 'mutation ($o: phenom_reports_insert_input!) { insert_phenom_reports_one(object: $o) { id } }',
        variables: { o: { id, timestamp: new Date(sent).toISOString(), h3_index: cellName(cellIndex), h3_resolution: 7,
          description: 'bench', location: { type: 'Point', coordinates: cellCenter(cellIndex) } } },
      }),
    }).then(async (r) => { const b = await r.json(); if (b.errors) { writeErrors++; if (writeErrors < 3) log(JSON.stringify(b.errors)); } else writes++; })
      .catch(() => { writeErrors++; }));
  }
  await Promise.all(pending);
  // Drain: wait until everything expected arrived, at most 10 s.
  for (let i = 0; i < 100 && metrics.delivered < expected; i++) await sleep(100);
  await sleep(500);
  clearInterval(rssTimer);
  const after = { stats: await Promise.all(servers.map((s) => s.stats())), cpu: servers.map((s) => s.cpuSeconds()), xacts: await db.xacts() };
  const elapsed = (Date.now() - tStart) / 1000;

  const sum = (xs, k) => xs.reduce((a, s) => a + s[k], 0);
  // Each instance receives every event; the queries it runs are what the events cost.
  const refreshes = sum(after.stats, 'refreshes') - sum(before.stats, 'refreshes');
  const events = after.stats[0].events - before.stats[0].events;
  const cpu = after.cpu.reduce((a, c, i) => a + c - before.cpu[i], 0);
  const lat = metrics.latencies.sort((a, b) => a - b);
  const result = {
    instances, subscribers: subs.length, groups: cfg.cells + 1, writes, write_errors: writeErrors,
    latency_ms: { p50: pct(lat, 50), p99: pct(lat, 99), max: lat[lat.length - 1] },
    delivered: metrics.delivered, expected, delivered_pct: +(100 * metrics.delivered / Math.max(1, expected)).toFixed(2),
    messages: metrics.messages, duplicate_messages: metrics.duplicates, sockets_closed: metrics.closed,
    events, live_query_runs: refreshes,
    multiplexed_group_refreshes: sum(after.stats, 'multiplexedGroups') - sum(before.stats, 'multiplexedGroups'), queries_per_write: +(refreshes / Math.max(1, writes)).toFixed(2),
    pg_transactions_per_write: +((after.xacts - before.xacts) / Math.max(1, writes)).toFixed(2),
    idle_runs: idleRuns, idle_pg_transactions: idleXacts,
    server_cpu_pct: +(100 * cpu / elapsed).toFixed(1), server_rss_mb_max: Math.round(maxRss),
  };
  for (const s of subs) s.ws.terminate();
  return result;
}

function print(r) {
  console.log(`\n== ${r.instances} instance(s)${r.instances > 1 || cfg.redis ? ' behind Redis' : ''}: ${r.subscribers} subscribers in ${r.groups} groups (cells by ${cfg.filter}), ${r.writes} writes (${r.write_errors} failed)`);
  console.log(`latency (write request -> message received): p50 ${r.latency_ms.p50} ms, p99 ${r.latency_ms.p99} ms, max ${r.latency_ms.max} ms`);
  console.log(`delivered ${r.delivered} / expected ${r.expected} (${r.delivered_pct}%), ${r.messages} messages, ${r.duplicate_messages} duplicates, ${r.sockets_closed} sockets closed`);
  console.log(`live-query statements: ${r.live_query_runs} for ${r.writes} writes = ${r.queries_per_write} queries/write (all instances; ${r.multiplexed_group_refreshes} group refreshes rode in multiplexed statements); PostgreSQL transactions/write incl. the insert: ${r.pg_transactions_per_write}`);
  console.log(`idle (5 s, no writes): ${r.idle_runs} live-query runs, ${r.idle_pg_transactions} PostgreSQL transactions`);
  console.log(`server CPU ${r.server_cpu_pct}% of one core (sum over instances), RSS max ${r.server_rss_mb_max} MB (sum)`);
}

(async () => {
  const db = await createDatabase();
  const results = [];
  try {
    for (const n of cfg.runs) { const r = await run(db, n); print(r); results.push(r); }
  } finally {
    await db.drop();
  }
  fs.writeFileSync(path.join(__dirname, 'last-run.json'), JSON.stringify({ config: cfg, results }, null, 2));
})().catch((e) => { console.error(e); process.exit(1); });

// Drives bench/Sensors/run.sh: see its header. Node 20 (fetch) plus graphql-ws over ws for the live part.
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [root] = process.argv.slice(2);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const BATCHES = Number(process.env.BATCHES ?? 100);
const BATCH = 1000;
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const QUERIES = Number(process.env.QUERIES ?? 200);
const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 1000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20);
const WRITES = Number(process.env.LIVE_WRITES ?? 50);
const PARTS = process.env.PARTS ?? '123'; // e.g. PARTS=1 for ingest only
const influx = process.env.PEREGRINE_INFLUX_URL;
if (!influx) throw new Error('PEREGRINE_INFLUX_URL is not set: run through ./peregrine bench Sensors');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };
const median = (xs) => pct(xs, 50);
const freePort = () => new Promise((resolve) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// ---- a throwaway PostgreSQL database and InfluxDB databases
const suffix = crypto.randomBytes(4).toString('hex');
const base = new URL(process.env.PEREGRINE_DATABASE_URL);
const dbName = `peregrine_bench_sensors_${suffix}`;
execFileSync('psql', [base.toString(), '-qtAc', `CREATE DATABASE ${dbName}`]);
const dbUrl = new URL(base.toString()); dbUrl.pathname = '/' + dbName;
const influxDb = `bench_sensors_${suffix}`;
const floorDb = `bench_floor_${suffix}`;
const influxQuery = async (db, q) => {
  const res = await fetch(`${influx}/query`, { method: 'POST', body: new URLSearchParams({ db, q }) });
  const body = await res.json();
  if (!res.ok || body.results?.[0]?.error) throw new Error(`InfluxDB: ${JSON.stringify(body)}`);
  return body;
};
const influxWrite = async (db, text) => {
  const res = await fetch(`${influx}/write?db=${db}`, { method: 'POST', body: text });
  if (res.status !== 204) throw new Error(`InfluxDB /write ${res.status}: ${await res.text()}`);
};
await influxQuery('', `CREATE DATABASE "${floorDb}"`);

const port = await freePort();
const spool = path.join(root, '.data', `bench-sensors-${suffix}`);
const env = {
  ...process.env,
  PEREGRINE_DATABASE_URL: dbUrl.toString(),
  PEREGRINE_INFLUX_DB: influxDb,
  PEREGRINE_SENSOR_SPOOL_DIR: spool,
  PEREGRINE_JWT_SECRET: JSON.stringify({ type: 'HS256', key: crypto.randomBytes(32).toString('hex') }),
  PEREGRINE_MUTATIONS_PER_SECOND: '0',
  PEREGRINE_MAX_REQUEST_BYTES: String(64 * 1024 * 1024),
  ASPNETCORE_URLS: `http://127.0.0.1:${port}`,
  ASPNETCORE_ENVIRONMENT: 'Staging',
  Logging__LogLevel__Default: 'Warning',
};
const dll = path.join(process.cwd(), '.server', 'Peregrine.Graph.dll');
execFileSync('dotnet', [dll, 'migrate'], { env, stdio: 'pipe' });
const server = spawn('dotnet', [dll], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const cleanup = () => {
  try { server.kill('SIGTERM'); } catch {}
  try { execFileSync('psql', [base.toString(), '-qtAc', `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`]); } catch {}
  fs.rmSync(spool, { recursive: true, force: true });
};
process.on('exit', cleanup);
const api = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try { if ((await fetch(`${api}/healthz`)).ok) break; } catch {}
  if (i > 300) throw new Error('server did not start');
  await sleep(100);
}

const gql = async (token, query, variables) => {
  const res = await fetch(`${api}/v1/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
};

try {
  // ---- a user, a device, its credentials and token
  const signup = await (await fetch(`${api}/signup/email-password`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-${suffix}@example.com`, password: 'correct horse battery staple' }),
  })).json();
  const user = signup.session.accessToken;
  const device = (await gql(user, 'mutation { insert_devices_one(object: {name: "bench probe", kind: "probe"}) { id } }')).insert_devices_one.id;
  const creds = (await gql(user, 'mutation($d: uuid!) { create_device_credentials(device_id: $d) { client_id client_secret } }', { d: device })).create_device_credentials;
  const tokenRes = await (await fetch(`${api}/oauth/token`, {
    method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: creds.client_id, client_secret: creds.client_secret }),
  })).json();
  const deviceToken = tokenRes.access_token;
  console.log(`load average at start: ${load()}`);

  // Used by parts 1 and 3.
  const endpointSend = async (text) => {
    const res = await fetch(`${api}/v1/sensors/write`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${deviceToken}` }, body: text });
    if (res.status !== 204) throw new Error(`/v1/sensors/write ${res.status}: ${await res.text()}`);
  };

  // ---- 1. ingest
  if (PARTS.includes('1')) {
  // ns, advanced for every batch so no point overwrites another; starting two days back keeps every point inside the
  // retention policy (InfluxDB drops points older than it) and clear of the day written for part 2.
  let clock = (Math.floor(Date.now() / 60000) * 60000 - 3 * 86400_000) * 1e6;
  const linesBatch = (sensor) => {
    const lines = new Array(BATCH);
    for (let i = 0; i < BATCH; i++) { clock += 1e6; lines[i] = `sensor_readings,device_id=${device},sensor=${sensor} value=${(20 + Math.random()).toFixed(4)} ${clock}`; }
    return lines.join('\n');
  };
  const objectsBatch = () => {
    const objects = new Array(BATCH);
    for (let i = 0; i < BATCH; i++) { clock += 1e6; objects[i] = { device_id: device, sensor: 'gql', time: new Date(clock / 1e6).toISOString(), value: 20 + Math.random() }; }
    return objects;
  };
  const rate = async (make, send) => {
    const batches = Array.from({ length: BATCHES }, make);
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) await send(batches[next++]);
    }));
    return BATCHES * BATCH / (Number(process.hrtime.bigint() - started) / 1e9);
  };
  const floorSend = (text) => influxWrite(floorDb, text);
  const mutationSend = (objects) => gql(deviceToken, 'mutation($o: [sensor_readings_insert_input!]!) { insert_sensor_readings(objects: $o) { affected_rows } }', { o: objects });
  const floor = [], endpoint = [], mutation = [];
  // Steady state, as a server runs: .NET compiles hot methods again with optimisations only after they have run a
  // while (tiered JIT) and grows its thread pool gradually, and InfluxDB warms its new database too. Measured on
  // 2 cores, a fresh server reaches its steady rate after about 1,500 batches (~0.45 of the floor in the first
  // 100, ~0.8 later). So both paths run WARMUP rounds of BATCHES before anything is timed.
  for (let w = 0; w < Number(process.env.WARMUP ?? 10); w++) {
    await rate(() => linesBatch('warmup'), endpointSend);
    await rate(objectsBatch, mutationSend);
  }
  for (let r = 0; r < ROUNDS; r++) {
    floor.push(await rate(() => linesBatch('floor'), floorSend));
    endpoint.push(await rate(() => linesBatch('endpoint'), endpointSend));
    mutation.push(await rate(objectsBatch, mutationSend));
  }
  const f = median(floor), e = median(endpoint), m = median(mutation);
  console.log(`\n1. ingest, ${BATCHES} batches of ${BATCH} points, ${CONCURRENCY} in flight, median of ${ROUNDS} alternating rounds`);
  console.log(`   InfluxDB /write (floor)        ${f.toFixed(0).padStart(9)} points/s   rounds ${floor.map((x) => x.toFixed(0)).join(', ')}`);
  console.log(`   POST /v1/sensors/write         ${e.toFixed(0).padStart(9)} points/s   ${(100 * e / f).toFixed(0)} % of the floor (target >= 80 %)   rounds ${endpoint.map((x) => x.toFixed(0)).join(', ')}`);
  console.log(`   insert_sensor_readings         ${m.toFixed(0).padStart(9)} points/s   ${(100 * m / f).toFixed(0)} % of the floor (target >= 80 %)   rounds ${mutation.map((x) => x.toFixed(0)).join(', ')}`);
  const stored = await influxQuery(influxDb, `SELECT count("value") FROM "sensor_readings" WHERE "sensor" = 'endpoint'`);
  console.log(`   check: InfluxDB holds ${stored.results[0].series[0].values[0][1]} endpoint points (expected ${ROUNDS * BATCHES * BATCH})`);
  }

  // ---- 2. sensor_series over a day of 1 Hz data
  if (PARTS.includes('2')) {
  const day0 = Math.floor(Date.now() / 60000) * 60000 - 86400_000; // the last whole-minute day, inside retention
  for (let chunk = 0; chunk < 86400; chunk += 5000) {
    const lines = [];
    for (let s = chunk; s < Math.min(86400, chunk + 5000); s++)
      lines.push(`sensor_readings,device_id=${device},sensor=day value=${(20 + 5 * Math.sin(s / 3600)).toFixed(4)} ${(day0 + s * 1000) * 1e6}`);
    await influxWrite(influxDb, lines.join('\n'));
  }
  const from = new Date(day0).toISOString(), to = new Date(day0 + 86400_000).toISOString();
  const seriesQuery = 'query($d: uuid!, $from: timestamptz!, $to: timestamptz!) { sensor_series(device_id: $d, sensor: "day", from: $from, to: $to, every: "1m") { time value } }';
  const influxQl = `SELECT mean("value") AS "value" FROM "sensor_readings" WHERE "device_id" = '${device}' AND "sensor" = 'day' AND time >= '${from}' AND time < '${to}' GROUP BY time(1m) fill(none)`;
  const graphqlMs = [], directMs = [];
  for (let i = 0; i < 10; i++) { await gql(user, seriesQuery, { d: device, from, to }); await influxQuery(influxDb, influxQl); }
  for (let i = 0; i < QUERIES; i++) {
    let t = performance.now();
    const points = (await gql(user, seriesQuery, { d: device, from, to })).sensor_series;
    graphqlMs.push(performance.now() - t);
    if (points.length !== 1440) throw new Error(`sensor_series answered ${points.length} points, expected 1440`);
    t = performance.now();
    await influxQuery(influxDb, influxQl);
    directMs.push(performance.now() - t);
  }
  console.log(`\n2. sensor_series, 86,400 points -> 1,440 buckets of 1m, ${QUERIES} requests each, interleaved`);
  console.log(`   InfluxQL straight to /query     p50 ${pct(directMs, 50).toFixed(1)} ms   p99 ${pct(directMs, 99).toFixed(1)} ms`);
  console.log(`   GraphQL sensor_series           p50 ${pct(graphqlMs, 50).toFixed(1)} ms   p99 ${pct(graphqlMs, 99).toFixed(1)} ms   ${(pct(graphqlMs, 50) / pct(directMs, 50)).toFixed(2)}x at p50 (target <= 1.3x), ${(pct(graphqlMs, 99) / pct(directMs, 99)).toFixed(2)}x at p99`);

  }

  // ---- 3. live
  if (PARTS.includes('3')) {
  const clients = Array.from({ length: CONNECTIONS }, () => createClient({
    url: `ws://127.0.0.1:${port}/v1/graphql`, webSocketImpl: WebSocket, lazy: false,
    connectionParams: { headers: { Authorization: `Bearer ${user}` } },
  }));
  const latencies = [];
  let ready = 0, received = 0;
  const unsubscribes = [];
  await new Promise((resolve, reject) => {
    for (let s = 0; s < SUBSCRIBERS; s++) {
      let first = true;
      unsubscribes.push(clients[s % CONNECTIONS].subscribe(
        { query: `subscription($d: uuid!) { sensor_readings_live(device_id: $d, sensor: "live") { time value } }`, variables: { d: device } },
        {
          next: (msg) => {
            if (first) { first = false; if (++ready === SUBSCRIBERS) resolve(); return; }
            const now = Date.now();
            for (const r of msg.data.sensor_readings_live) { latencies.push(now - r.value); received++; }
          },
          error: reject, complete: () => {},
        }));
    }
  });
  for (let i = 0; i < WRITES; i++) {
    await endpointSend(`sensor_readings,device_id=${device},sensor=live value=${Date.now()} ${Date.now() * 1e6}`);
    await sleep(100);
  }
  const deadline = Date.now() + 5000;
  while (received < WRITES * SUBSCRIBERS && Date.now() < deadline) await sleep(50);
  console.log(`\n3. live: ${SUBSCRIBERS} sensor_readings_live subscribers over ${CONNECTIONS} graphql-ws connections, ${WRITES} single-reading writes`);
  console.log(`   write -> subscriber            p50 ${pct(latencies, 50)} ms   p99 ${pct(latencies, 99)} ms   max ${Math.max(...latencies)} ms   delivered ${received} of ${WRITES * SUBSCRIBERS}`);
  unsubscribes.forEach((u) => u());
  await Promise.all(clients.map((c) => c.dispose()));
  }
  console.log(`\nload average at end: ${load()}`);
} catch (e) {
  console.error(`benchmark failed: ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  await influxQuery('', `DROP DATABASE "${floorDb}"`).catch(() => {});
  await influxQuery('', `DROP DATABASE "${influxDb}"`).catch(() => {});
  cleanup();
  process.exit(process.exitCode ?? 0);
}

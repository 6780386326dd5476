// Starts what the realtime tests run against: a throwaway database (migrated, lightly seeded), real
// Peregrine server processes on free ports, and optionally a private redis-server.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const crypto = require('node:crypto');
const pg = require('pg');
const WebSocket = require('ws');

const ROOT = path.resolve(__dirname, '../../../..');
const DLL = path.join(ROOT, 'src/Peregrine.Graph/bin/Debug/net10.0/Peregrine.Graph.dll');
const ADMIN_SECRET = 'node-realtime-secret';

function requireEnv() {
  if (!process.env.PEREGRINE_DATABASE_URL) {
    // Outside ./peregrine test: ask the entry script for the local services' settings.
    const out = execFileSync(path.join(ROOT, 'peregrine'), ['services', 'env'], { encoding: 'utf8' });
    for (const m of out.matchAll(/export (\w+)=("?)([^"\n]*)\2/g)) process.env[m[1]] = m[3];
  }
  if (!fs.existsSync(DLL)) execFileSync('dotnet', ['build', '-p:ExcludeGeo=true', path.join(ROOT, 'src/Peregrine.Graph')], { stdio: 'inherit' });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, check, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try { if (await check()) return; } catch (e) { last = e; }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? ': ' + last.message : ''}`);
}

/** A new database on the local PostgreSQL, migrated by the server binary and seeded with a few reports. */
async function createDatabase() {
  requireEnv();
  const base = new URL(process.env.PEREGRINE_DATABASE_URL);
  const name = 'peregrine_node_' + crypto.randomBytes(5).toString('hex');
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = '/' + name;
  const env = { ...process.env, PEREGRINE_DATABASE_URL: url.toString() };
  execFileSync('dotnet', [DLL, 'migrate'], { env, stdio: 'pipe' });
  execFileSync('dotnet', [DLL, 'seed', '--reports', '40'], { env, stdio: 'pipe' });
  const sql = new pg.Pool({ connectionString: url.toString(), max: 2 });
  return {
    url: url.toString(),
    sql: (text, params) => sql.query(text, params),
    async drop() {
      await sql.end();
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A private redis-server on a free port (stop() and start() again to simulate an outage). */
async function startRedis() {
  const port = await freePort();
  let proc;
  const redis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      proc = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      await waitFor('redis', () => new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
        s.on('error', () => resolve(false));
      }));
    },
    async stop() {
      if (!proc) return;
      const p = proc;
      proc = undefined;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGKILL');
      await exited;
    },
  };
  await redis.start();
  return redis;
}

/**
 * A Peregrine server process; resolves once it serves HTTP and its change capture is live.
 * `port` restarts a server where clients expect it (outage tests); a free one by default.
 */
async function startServer(db, { redisUrl = '', env: extra = {}, port: fixedPort } = {}) {
  const port = fixedPort ?? await freePort();
  const env = {
    ...process.env,
    PEREGRINE_DATABASE_URL: db.url,
    PEREGRINE_REDIS_URL: redisUrl,
    PEREGRINE_ADMIN_SECRET: ADMIN_SECRET,
    ASPNETCORE_ENVIRONMENT: 'Staging',
    Logging__LogLevel__Default: 'Warning',
    ...extra,
  };
  const proc = spawn('dotnet', [DLL, '--urls', `http://127.0.0.1:${port}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const http = `http://127.0.0.1:${port}`;
  const server = {
    port,
    http,
    ws: `ws://127.0.0.1:${port}/v1/graphql`,
    get log() { return log; },
    async stats() {
      const r = await fetch(`${http}/v1/realtime/stats`, { headers: { 'x-hasura-admin-secret': ADMIN_SECRET } });
      return r.json();
    },
    async graphql(query, variables) {
      const r = await fetch(`${http}/v1/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': ADMIN_SECRET },
        body: JSON.stringify({ query, variables }),
      });
      const body = await r.json();
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    },
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, sleep(5000).then(() => proc.kill('SIGKILL'))]);
    },
  };
  try {
    await waitFor('server', async () => (await fetch(`${http}/healthz`)).ok, 60000);
    // The listener publishes a resync once it forwards notifications (on a shared bus only the leader does).
    if (!redisUrl) await waitFor('change capture', async () => (await server.stats()).resyncs >= 1);
  } catch (e) {
    proc.kill('SIGKILL');
    throw new Error(`${e.message}\n${log}`);
  }
  return server;
}

/** Collects the values of an async source so a test can wait for the next one with a timeout. */
function inbox() {
  const items = [];
  const waiters = [];
  return {
    push(v) {
      const w = waiters.shift();
      if (w) w.resolve(v); else items.push(v);
    },
    next(timeoutMs = 10000) {
      if (items.length) return Promise.resolve(items.shift());
      return new Promise((resolve, reject) => {
        const w = { resolve: (v) => { clearTimeout(t); resolve(v); } };
        const t = setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); reject(new Error(`nothing within ${timeoutMs} ms`)); }, timeoutMs);
        waiters.push(w);
      });
    },
    /** Resolves true when nothing arrives within ms. */
    async quiet(ms) {
      try { await this.next(ms); return false; } catch { return true; }
    },
  };
}

module.exports = { ADMIN_SECRET, WebSocket, createDatabase, startServer, startRedis, inbox, sleep, waitFor };

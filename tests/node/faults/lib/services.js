// Everything the fault scenarios stop and start is private to them: a throwaway PostgreSQL cluster
// (initdb'd into a temporary folder, on a free port, run as the `postgres` OS user when we are root),
// a redis-server on a free port, and Peregrine server processes. The shared services of ./peregrine are
// never touched.
'use strict';
const { spawn, execFile, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const pg = require('pg');

const ROOT = path.resolve(__dirname, '../../../..');
const DLL = path.join(ROOT, 'src/Peregrine.Graph/bin/Debug/net10.0/Peregrine.Graph.dll');
const PG_BIN = '/usr/lib/postgresql/15/bin';
const ADMIN_SECRET = 'faults-admin-secret';
const isRoot = process.getuid && process.getuid() === 0;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitFor(what, check, timeoutMs = 30000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try { if (await check()) return; } catch (e) { last = e; }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? ': ' + last.message : ''}`);
}

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

function ensureBuilt() {
  if (!fs.existsSync(DLL)) execFileSync('dotnet', ['build', '-nologo', '-v', 'q', path.join(ROOT, 'src/Peregrine.Graph')], { stdio: 'inherit' });
}

// ---------------------------------------------------------------- PostgreSQL

function pgRun(bin, args) {
  const exe = path.join(PG_BIN, bin);
  return isRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', exe, ...args], { cwd: '/', stdio: 'pipe', encoding: 'utf8' })
    : execFileSync(exe, args, { stdio: 'pipe', encoding: 'utf8' });
}

function pgRunAsync(bin, args) {
  const exe = path.join(PG_BIN, bin);
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { cwd: '/', encoding: 'utf8' }, (e, stdout) => (e ? reject(e) : resolve(stdout)));
  });
}

/** A private PostgreSQL 15 cluster with database `peregrine`, migrated and seeded by the server binary. */
async function startPostgres({ reports = 40 } = {}) {
  ensureBuilt();
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'peregrine-faults-pg-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  fs.mkdirSync(data);
  fs.writeFileSync(logFile, '');
  if (isRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  pgRun('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c max_connections=300 `
    + '-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB';
  const server = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/peregrine`,
    async start() {
      pgRun('pg_ctl', ['-D', data, '-l', logFile, '-o', opts, '-w', '-t', '60', 'start']);
      await waitFor('postgres', () => portOpen(port));
    },
    /** Fast shutdown: open sessions are terminated (57P01), as in a restart by an operator or an orchestrator. */
    async stop() {
      try { pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']); } catch { /* already stopped */ }
    },
    async destroy() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    sql: null,
  };
  await server.start();
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE peregrine');
  await admin.end();
  const env = { ...process.env, PEREGRINE_DATABASE_URL: server.url, HASURA_GRAPHQL_DATABASE_URL: '' };
  execFileSync('dotnet', [DLL, 'migrate'], { env, stdio: 'pipe' });
  execFileSync('dotnet', [DLL, 'seed', '--reports', String(reports)], { env, stdio: 'pipe' });
  // A pool that survives restarts: a failed query just fails, the next one reconnects.
  const pool = new pg.Pool({ connectionString: server.url, max: 4 });
  pool.on('error', () => {});
  server.sql = (text, params) => pool.query(text, params);
  server.endPool = () => pool.end();
  return server;
}

/**
 * A streaming replica of `primary` (from startPostgres): pg_basebackup -R into a temporary folder, then a hot standby
 * on a free port. stop() is a fast shutdown, as when an operator or an orchestrator stops it; start() brings it back
 * (it catches up from the primary's WAL).
 */
async function startReplica(primary) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'peregrine-faults-replica-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  fs.writeFileSync(logFile, '');
  if (isRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  pgRun('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '-c', 'fast']);
  // A standby must allow at least as many connections as its primary.
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c max_connections=300 `
    + '-c fsync=off -c shared_buffers=64MB -c hot_standby=on -c hot_standby_feedback=on';
  const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/peregrine`, max: 2 });
  pool.on('error', () => {});
  const replica = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/peregrine`,
    async start() {
      pgRun('pg_ctl', ['-D', data, '-l', logFile, '-o', opts, '-w', '-t', '60', 'start']);
      await waitFor('replica', () => portOpen(port));
    },
    // Without blocking this process (unlike pgRun): clients keep sending while the replica shuts down.
    async stop() {
      try { await pgRunAsync('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']); } catch { /* already stopped */ }
    },
    async destroy() {
      await pool.end();
      await replica.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    sql: (text, params) => pool.query(text, params),
    /** Waits until the replica has replayed everything the primary has written so far. */
    async caughtUp() {
      const { rows: [{ lsn }] } = await primary.sql('SELECT pg_current_wal_insert_lsn()::text AS lsn');
      await waitFor('replica catch-up', async () =>
        (await pool.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn])).rows[0].ok);
    },
  };
  await replica.start();
  await replica.caughtUp();
  return replica;
}

// ---------------------------------------------------------------- Redis

/** A redis-server on a fixed free port; start() and stop() (SIGKILL: a crash) as often as needed. */
async function redisOnFreePort() {
  const port = await freePort();
  let proc;
  const redis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() { return !!proc; },
    async start() {
      proc = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      await waitFor('redis', () => portOpen(port));
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
  return redis;
}

// ---------------------------------------------------------------- Peregrine

/**
 * A Peregrine server process. Resolves once it answers HTTP (healthy or not, unless `healthy` is asked for).
 * `env` adds or overrides variables (e.g. PEREGRINE_SHUTDOWN_TIMEOUT_SECONDS).
 */
async function startServer({ dbUrl, redisUrl = '', env = {}, healthy = true } = {}) {
  ensureBuilt();
  const port = await freePort();
  const proc = spawn('dotnet', [DLL, '--urls', `http://127.0.0.1:${port}`], {
    env: {
      ...process.env,
      PEREGRINE_DATABASE_URL: dbUrl,
      HASURA_GRAPHQL_DATABASE_URL: '',
      PEREGRINE_REDIS_URL: redisUrl,
      PEREGRINE_INFLUX_URL: '',
      PEREGRINE_ADMIN_SECRET: ADMIN_SECRET,
      PEREGRINE_MUTATIONS_PER_SECOND: '0',
      ASPNETCORE_ENVIRONMENT: 'Staging',
      Logging__LogLevel__Default: 'Warning',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((r) => proc.once('exit', (code, signal) => r({ code, signal, at: Date.now() })));
  const http = `http://127.0.0.1:${port}`;
  const server = {
    port,
    http,
    ws: `ws://127.0.0.1:${port}/v1/graphql`,
    proc,
    exited,
    get log() { return log; },
    async health() {
      // verbose: each dependency's status on success too (plain /healthz answers just "OK").
      const r = await fetch(`${http}/healthz?verbose=1`);
      return { status: r.status, body: await r.json() };
    },
    async stats() {
      const r = await fetch(`${http}/v1/realtime/stats`, { headers: { 'x-hasura-admin-secret': ADMIN_SECRET } });
      return r.json();
    },
    /** POST as admin; resolves {status, body} whatever the outcome (never throws for an HTTP answer). */
    async post(query, variables) {
      const r = await fetch(`${http}/v1/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': ADMIN_SECRET },
        body: JSON.stringify({ query, variables }),
      });
      const text = await r.text();
      let body;
      try { body = JSON.parse(text); } catch { body = { raw: text }; }
      return { status: r.status, body };
    },
    async graphql(query, variables) {
      const { body } = await server.post(query, variables);
      if (body.errors || !body.data) throw new Error(JSON.stringify(body));
      return body.data;
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      await Promise.race([exited, sleep(15000).then(() => proc.kill('SIGKILL'))]);
    },
  };
  try {
    await waitFor('server', async () => {
      if (proc.exitCode !== null) throw new Error(`exited with ${proc.exitCode}`);
      const r = await fetch(`${http}/healthz`);
      return healthy ? r.ok : true;
    }, 90000, 200);
  } catch (e) {
    proc.kill('SIGKILL');
    throw new Error(`${e.message}\n${log}`);
  }
  return server;
}

/** Runs the server binary with `env` and returns {code, stdout, stderr} once it exits (for settings that must stop it). */
function runServerToExit(env, timeoutMs = 60000) {
  ensureBuilt();
  return new Promise((resolve, reject) => {
    const proc = spawn('dotnet', [DLL, '--urls', 'http://127.0.0.1:0'], {
      env: { ...process.env, ASPNETCORE_ENVIRONMENT: 'Staging', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    const t = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`still running after ${timeoutMs} ms:\n${stdout}${stderr}`)); }, timeoutMs);
    proc.once('exit', (code) => { clearTimeout(t); resolve({ code, stdout, stderr }); });
  });
}

module.exports = { ADMIN_SECRET, DLL, sleep, waitFor, freePort, startPostgres, startReplica, redisOnFreePort, startServer, runServerToExit };

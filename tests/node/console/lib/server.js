// Real server processes for the console and start-up tests: the built Peregrine.Graph.dll, started the way
// `./peregrine run` starts it (console on, development keys under an empty folder, no admin or JWT secret),
// on a private database made on the PostgreSQL that `./peregrine test` points PEREGRINE_DATABASE_URL at.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const pg = require('pg');

const ROOT = path.resolve(__dirname, '../../../..');
const DLL = path.join(ROOT, 'src/Peregrine.Graph/bin/Debug/net10.0/Peregrine.Graph.dll');
const BUNDLE = path.join(path.dirname(DLL), 'console/index.html');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function ensureBuilt() {
  if (!fs.existsSync(DLL)) execFileSync('dotnet', ['build', '-nologo', '-v', 'q', path.join(ROOT, 'src/Peregrine.Graph')], { stdio: 'inherit' });
}

// Every variable that would configure the server from the caller's shell is cleared, so each test says exactly
// what it sets (./peregrine test exports an admin secret, for instance).
function cleanEnv(extra) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('PEREGRINE_') || k.startsWith('HASURA_GRAPHQL_') || k.startsWith('ASPNETCORE_')) delete env[k];
  return { ...env, PEREGRINE_MUTATIONS_PER_SECOND: '0', ...extra };
}

/** A database of its own on the shared server, migrated and seeded with `reports` demo reports. */
async function createDatabase({ reports = 30 } = {}) {
  ensureBuilt();
  const base = process.env.PEREGRINE_DATABASE_URL;
  if (!base) throw new Error('PEREGRINE_DATABASE_URL is not set: run through ./peregrine test, or eval "$(./peregrine services env)"');
  const name = `peregrine_console_${process.pid}_${Date.now()}`;
  const adminUrl = new URL(base); adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base); url.pathname = `/${name}`;
  const env = cleanEnv({ PEREGRINE_DATABASE_URL: url.toString() });
  execFileSync('dotnet', [DLL, 'migrate'], { env, stdio: 'pipe' });
  execFileSync('dotnet', [DLL, 'seed', '--reports', String(reports)], { env, stdio: 'pipe' });
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  return {
    url: url.toString(),
    sql: (text, params) => pool.query(text, params),
    async drop() {
      await pool.end();
      const c = new pg.Client({ connectionString: adminUrl.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Starts the server; resolves once /healthz answers. `env` is the whole configuration (see cleanEnv). */
async function startServer(env) {
  ensureBuilt();
  const port = await freePort();
  const proc = spawn('dotnet', [DLL, '--urls', `http://127.0.0.1:${port}`], {
    cwd: path.join(ROOT, 'src/Peregrine.Graph'), env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  let exited = null;
  proc.on('exit', (code) => { exited = code; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120000;
  for (;;) {
    if (exited !== null) throw new Error(`server exited with ${exited}:\n${output}`);
    try { if ((await fetch(`${url}/healthz`)).status > 0) break; } catch { /* not yet */ }
    if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error(`server did not answer:\n${output}`); }
    await sleep(200);
  }
  return {
    url,
    get output() { return output; },
    async stop() {
      if (exited !== null) return;
      const done = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([done, sleep(15000).then(() => proc.kill('SIGKILL'))]);
    },
  };
}

/** Runs the server expecting it to refuse to start: its exit code and output. */
function runServerToExit(env, timeoutMs = 60000) {
  ensureBuilt();
  return new Promise((resolve, reject) => {
    const proc = spawn('dotnet', [DLL, '--urls', 'http://127.0.0.1:0'], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`server did not exit:\n${stdout}${stderr}`)); }, timeoutMs);
    proc.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

async function graphql(url, query, variables, headers = {}) {
  const res = await fetch(`${url}/v1/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

async function postJson(url, body, headers = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body: json, text };
}

const operation = (name) => fs.readFileSync(path.join(__dirname, '../../../../src/Peregrine.Graph/Operations', `${name}.graphql`), 'utf8');

module.exports = { ROOT, DLL, BUNDLE, createDatabase, startServer, runServerToExit, tempDir, graphql, postJson, operation, sleep };

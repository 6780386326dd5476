// The services script never adopts a server it did not start, and uses the URLs a caller set as they are.
// Only ports with a listener of the test's own are involved: nothing is started or stopped.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
const { ROOT } = require('../lib/server');

function peregrine(args, env) {
  const clean = { ...process.env };
  for (const k of Object.keys(clean)) if (k.startsWith('PEREGRINE_')) delete clean[k];
  return spawnSync(path.join(ROOT, 'peregrine'), args, { env: { ...clean, ...env }, encoding: 'utf8', timeout: 120000 });
}

function listen() {
  return new Promise((resolve) => {
    const server = net.createServer((s) => s.destroy());
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

test('a foreign process on the PostgreSQL port stops services start with a message naming the port', async () => {
  const foreign = await listen();
  const port = foreign.address().port;
  try {
    const r = peregrine(['services', 'start'], { PEREGRINE_PG_PORT: String(port) });
    assert.notEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`port ${port} \\(PostgreSQL\\) is taken by pid ${process.pid} `));
    const status = peregrine(['services', 'status'], { PEREGRINE_PG_PORT: String(port) });
    assert.match(status.stdout, new RegExp(`postgres +foreign +127\\.0\\.0\\.1:${port} is taken by pid ${process.pid}`));
  } finally {
    foreign.close();
  }
});

test('URLs the caller set are kept (services env) and reported as external', () => {
  const env = {
    PEREGRINE_DATABASE_URL: 'postgres://someone:pw@db.internal:5432/app',
    PEREGRINE_REDIS_URL: 'redis://cache.internal:6379',
    PEREGRINE_INFLUX_URL: 'http://influx.internal:8086',
  };
  const r = peregrine(['services', 'env'], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /export PEREGRINE_DATABASE_URL=postgres:\/\/someone:pw@db\.internal:5432\/app/);
  assert.match(r.stdout, /export PEREGRINE_REDIS_URL=redis:\/\/cache\.internal:6379/);
  assert.match(r.stdout, /export PEREGRINE_INFLUX_URL=http:\/\/influx\.internal:8086/);
  const status = peregrine(['services', 'status'], env);
  assert.match(status.stdout, /postgres +external postgres:\/\/someone:pw@db\.internal:5432\/app/);
  assert.match(status.stdout, /redis +external redis:\/\/cache\.internal:6379/);
});

test('the default ports are below the ephemeral range', () => {
  const r = peregrine(['services', 'env'], {});
  assert.match(r.stdout, /PEREGRINE_DATABASE_URL=postgres:\/\/peregrine:peregrine@127\.0\.0\.1:25432\/peregrine/);
  assert.match(r.stdout, /PEREGRINE_REDIS_URL=redis:\/\/127\.0\.0\.1:26379/);
  assert.match(r.stdout, /PEREGRINE_INFLUX_URL=http:\/\/127\.0\.0\.1:28086/);
  assert.match(r.stdout, /PEREGRINE_CLAMAV_URL=tcp:\/\/127\.0\.0\.1:23310/);
  assert.match(r.stdout, /PEREGRINE_S3_ENDPOINT=http:\/\/127\.0\.0\.1:24568/);
});

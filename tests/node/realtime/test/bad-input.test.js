// Bad input against a real server process, with a raw websocket: each case is answered per the protocol
// and none takes the server down or makes it buffer without bound.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { ADMIN_SECRET, WebSocket, createDatabase, startServer, sleep } = require('../lib/harness');

let db;
let server;
before(async () => {
  db = await createDatabase();
  server = await startServer(db);
});
after(async () => {
  await server?.stop();
  await db?.drop();
});

const init = { type: 'connection_init', payload: { headers: { 'x-hasura-admin-secret': ADMIN_SECRET } } };

function open(protocol = 'graphql-transport-ws') {
  const ws = new WebSocket(server.ws, protocol, { maxPayload: 256 * 1024 * 1024 });
  const messages = [];
  const waiters = [];
  ws.on('message', (d) => { const m = JSON.parse(d.toString()); const w = waiters.shift(); if (w) w(m); else messages.push(m); });
  const closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('error', () => {});
  return {
    ws, closed,
    ready: new Promise((r) => ws.on('open', r)),
    send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
    next: () => (messages.length ? Promise.resolve(messages.shift()) : new Promise((r) => waiters.push(r))),
  };
}

async function acked(protocol) {
  const c = open(protocol);
  await c.ready;
  c.send(init);
  assert.equal((await c.next()).type, 'connection_ack');
  return c;
}

test('an unknown message type closes with 4400', async () => {
  const c = await acked();
  c.send({ type: 'bogus' });
  assert.equal(await c.closed, 4400);
});

test('subscribe before connection_init closes with 4401', async () => {
  const c = open();
  await c.ready;
  c.send({ id: '1', type: 'subscribe', payload: { query: '{ categories { id } }' } });
  assert.equal(await c.closed, 4401);
});

test('a duplicate id closes with 4409', async () => {
  const c = await acked();
  const sub = { id: 'x', type: 'subscribe', payload: { query: 'subscription { categories(limit: 1) { id } }' } };
  c.send(sub);
  assert.equal((await c.next()).type, 'next');
  c.send(sub);
  assert.equal(await c.closed, 4409);
});

test('a 10 MB frame closes with 1009 and the server goes on', async () => {
  const c = await acked();
  c.send(JSON.stringify({ type: 'ping', payload: 'x'.repeat(10 * 1024 * 1024) }));
  assert.equal(await c.closed, 1009);
  assert.ok((await fetch(`${server.http}/healthz`)).ok);
});

test('legacy protocol: an unknown message type is an error, the connection stays', async () => {
  const c = await acked('graphql-ws');
  assert.equal((await c.next()).type, 'ka');
  c.send({ id: '9', type: 'bogus' });
  const m = await c.next();
  assert.equal(m.type, 'error');
  assert.equal(m.id, '9');
});

test('a client that never reads is cut off; the server stays up with bounded memory', async () => {
  const pid = Number(fs.readdirSync('/proc').find((p) => /^\d+$/.test(p) && fs.existsSync(`/proc/${p}/cmdline`)
    && fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`127.0.0.1:${server.port}`)));
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  const c = await acked();
  // 200 big live queries on one socket, then stop reading and make them all change, again and again.
  const query = 'subscription { phenom_reports(order_by: {timestamp: desc}) { id description location coordinates timestamp } }';
  for (let i = 0; i < 200; i++) c.send({ id: String(i), type: 'subscribe', payload: { query, variables: { i } } });
  await c.next();
  c.ws._socket.pause();
  const start = rss();
  const connected = () => require('node:child_process').execSync(`ss -tnH state established '( sport = :${c.ws._socket.localPort} )'`).toString().trim() !== '';
  for (let i = 0; i < 60 && connected(); i++) {
    await db.sql(`UPDATE phenom_reports SET description = md5(random()::text) || repeat('x', 500) WHERE id IN (SELECT id FROM phenom_reports LIMIT 5)`);
    await sleep(250);
  }
  assert.equal(connected(), false, 'the server should have dropped the non-reading client');
  c.ws._socket.resume();
  const code = await Promise.race([c.closed, sleep(10000).then(() => 'still open')]);
  assert.notEqual(code, 'still open');
  assert.ok((await fetch(`${server.http}/healthz`)).ok);
  const other = await acked();
  other.send({ id: 'q', type: 'subscribe', payload: { query: '{ categories(limit: 1) { id } }' } });
  assert.equal((await other.next()).type, 'next');
  assert.ok(rss() - start < 400, `RSS grew from ${start.toFixed(0)} MB to ${rss().toFixed(0)} MB`);
});

// Two server instances behind a private Redis: a write on one reaches a subscriber on the other, and a
// Redis outage loses nothing (every live query is re-checked when the bus reconnects).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { createClient } = require('graphql-ws');
const { ADMIN_SECRET, WebSocket, createDatabase, startServer, startRedis, inbox, waitFor } = require('../lib/harness');

let db;
let redis;
let a;
let b;
before(async () => {
  db = await createDatabase();
  redis = await startRedis();
  a = await startServer(db, { redisUrl: redis.url });
  b = await startServer(db, { redisUrl: redis.url });
  // One of the two forwards the database's notifications; its resync reaches both through Redis.
  await waitFor('change capture', async () => (await a.stats()).resyncs + (await b.stats()).resyncs >= 1);
});
after(async () => {
  await a?.stop();
  await b?.stop();
  await redis?.stop();
  await db?.drop();
});

function live(server, query, variables) {
  const box = inbox();
  const c = createClient({ url: server.ws, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false,
    connectionParams: { headers: { 'x-hasura-admin-secret': ADMIN_SECRET } } });
  c.subscribe({ query, variables }, { next: (v) => box.push(v), error: (e) => box.push({ error: e }), complete() {} });
  return { box, client: c };
}

const byName = 'subscription ($n: String!) { categories(where: {name: {_eq: $n}}) { name icon } }';

test('subscribed on A, mutated through B: delivered', async () => {
  const name = 'redis-' + Date.now();
  const { box, client } = live(a, byName, { n: name });
  try {
    assert.deepEqual((await box.next()).data.categories, []);
    await b.graphql('mutation ($n: String!) { insert_categories_one(object: {name: $n, icon: "b"}) { id } }', { n: name });
    assert.deepEqual((await box.next()).data.categories, [{ name, icon: 'b' }]);
  } finally { await client.dispose(); }
});

test('a write made while Redis is down reaches the subscriber once Redis is back', async () => {
  const name = 'outage-' + Date.now();
  const { box, client } = live(a, byName, { n: name });
  try {
    assert.deepEqual((await box.next()).data.categories, []);
    await redis.stop();
    await db.sql('INSERT INTO categories (name, icon) VALUES ($1, $2)', [name, 'lost?']);
    await redis.start();
    assert.deepEqual((await box.next(30000)).data.categories, [{ name, icon: 'lost?' }]);
    // And the bus works again afterwards.
    await db.sql('UPDATE categories SET icon = $2 WHERE name = $1', [name, 'after']);
    assert.deepEqual((await box.next(15000)).data.categories, [{ name, icon: 'after' }]);
  } finally { await client.dispose(); }
});

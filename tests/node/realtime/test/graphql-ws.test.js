// The graphql-ws client (subprotocol graphql-transport-ws) against a real server process.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { createClient } = require('graphql-ws');
const { ADMIN_SECRET, WebSocket, createDatabase, startServer, inbox } = require('../lib/harness');

let db;
let server;
before(async () => {
  db = await createDatabase();
  // One test holds 1,000 subscriptions on one socket: ten times the default PEREGRINE_WS_MAX_SUBSCRIPTIONS.
  server = await startServer(db, { env: { PEREGRINE_WS_MAX_SUBSCRIPTIONS: '1000' } });
});
after(async () => {
  await server?.stop();
  await db?.drop();
});

function client(connectionParams = { headers: { 'x-hasura-admin-secret': ADMIN_SECRET } }) {
  return createClient({ url: server.ws, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: false });
}

function subscribe(c, query, variables) {
  const box = inbox();
  const dispose = c.subscribe({ query, variables }, {
    next: (v) => box.push({ next: v }),
    error: (e) => box.push({ error: e }),
    complete: () => box.push({ complete: true }),
  });
  return { box, dispose };
}

const byName = 'subscription ($n: String!) { categories(where: {name: {_eq: $n}}) { name icon } }';

test('handshake, then a query over the socket runs once and completes', async () => {
  const c = client();
  try {
    const { box } = subscribe(c, '{ categories(limit: 2) { id } }');
    assert.equal((await box.next()).next.data.categories.length, 2);
    assert.deepEqual(await box.next(), { complete: true });
  } finally { await c.dispose(); }
});

test('live query: first result, then after an API insert, a direct SQL update and a delete', async () => {
  const c = client();
  const name = 'node-' + Date.now();
  try {
    const { box, dispose } = subscribe(c, byName, { n: name });
    assert.deepEqual((await box.next()).next.data.categories, []);
    await server.graphql('mutation ($n: String!) { insert_categories_one(object: {name: $n, icon: "a"}) { id } }', { n: name });
    assert.deepEqual((await box.next()).next.data.categories, [{ name, icon: 'a' }]);
    await db.sql('UPDATE categories SET icon = $2 WHERE name = $1', [name, 'b']);
    assert.deepEqual((await box.next()).next.data.categories, [{ name, icon: 'b' }]);
    await db.sql('DELETE FROM categories WHERE name = $1', [name]);
    assert.deepEqual((await box.next()).next.data.categories, []);
    dispose();
  } finally { await c.dispose(); }
});

test('a write to an unrelated table sends nothing', async () => {
  const c = client();
  try {
    const { box } = subscribe(c, 'subscription { categories(order_by: {name: asc}, limit: 3) { name } }');
    await box.next();
    const runs = (await server.stats()).refreshes;
    await db.sql(`UPDATE users SET profile = profile || '{"node": 1}'::jsonb`);
    assert.equal(await box.quiet(1500), true);
    assert.equal((await server.stats()).refreshes, runs);
  } finally { await c.dispose(); }
});

test('the NewPhenoms feed gets a report inserted with SQL', async () => {
  const c = client();
  try {
    const { box } = subscribe(c, 'subscription NewPhenoms { phenom_reports(order_by: { timestamp: desc } limit: 10) { id timestamp location } }');
    assert.equal((await box.next()).next.data.phenom_reports.length, 10);
    const { rows } = await db.sql(`INSERT INTO phenom_reports (location, h3_index, description)
      VALUES (ST_GeogFromText('POINT(-73.98 40.75)'), '872a1072fffffff', 'node feed') RETURNING id`);
    const feed = (await box.next()).next.data.phenom_reports;
    assert.equal(feed[0].id, rows[0].id);
    assert.deepEqual(feed[0].location.coordinates, [-73.98, 40.75]);
  } finally { await c.dispose(); }
});

test('a wrong admin secret closes the socket with 4403', async () => {
  const closed = new Promise((resolve) => {
    const c = createClient({
      url: server.ws, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => {},
      connectionParams: { headers: { 'x-hasura-admin-secret': 'wrong' } },
      on: { closed: (e) => resolve(e.code) },
    });
    c.subscribe({ query: '{ categories { id } }' }, { next() {}, error() {}, complete() {} });
  });
  assert.equal(await closed, 4403);
});

test('no credentials at all closes with 4403 when an admin secret is configured', async () => {
  const closed = new Promise((resolve) => {
    const c = createClient({ url: server.ws, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => {}, on: { closed: (e) => resolve(e.code) } });
    c.subscribe({ query: '{ categories { id } }' }, { next() {}, error() {}, complete() {} });
  });
  assert.equal(await closed, 4403);
});

test('a validation error is an error for that operation only', async () => {
  const c = client();
  try {
    const { box } = subscribe(c, 'subscription { nope { id } }');
    const r = await box.next();
    assert.ok(Array.isArray(r.error));
    assert.equal(r.error[0].extensions.code, 'validation-failed');
    const ok = subscribe(c, '{ categories(limit: 1) { id } }');
    assert.equal((await ok.box.next()).next.data.categories.length, 1);
  } finally { await c.dispose(); }
});

test('1,000 subscriptions on one socket all get their first result', async () => {
  const c = client();
  try {
    const boxes = [];
    for (let i = 0; i < 1000; i++) boxes.push(subscribe(c, 'subscription ($n: String!) { categories(where: {name: {_eq: $n}}) { name } }', { n: 'many-' + (i % 50) }).box);
    const results = await Promise.all(boxes.map((b) => b.next(30000)));
    assert.ok(results.every((r) => Array.isArray(r.next?.data?.categories)));
    assert.ok((await server.stats()).groups >= 50);
  } finally { await c.dispose(); }
});

test('streaming subscription: rows after the cursor in order, in batches, none twice, none skipped', async () => {
  const c = client();
  const prefix = 'stream-' + Date.now() + '-';
  try {
    for (const s of ['a', 'b', 'c']) await db.sql('INSERT INTO categories (name) VALUES ($1)', [prefix + s]);
    const { box } = subscribe(c, `subscription ($p: String!, $like: String!) {
      categories_stream(batch_size: 2, cursor: {initial_value: {name: $p}, ordering: ASC}, where: {name: {_like: $like}}) { name } }`,
    { p: prefix, like: prefix + '%' });
    const seen = [];
    const first = (await box.next()).next.data.categories_stream;
    assert.equal(first.length, 2);
    seen.push(...first, ...(await box.next()).next.data.categories_stream);
    await db.sql('INSERT INTO categories (name) VALUES ($1), ($2)', [prefix + 'd', prefix + 'e']);
    while (seen.length < 5) seen.push(...(await box.next()).next.data.categories_stream);
    assert.deepEqual(seen.map((r) => r.name), ['a', 'b', 'c', 'd', 'e'].map((s) => prefix + s));
    assert.equal(await box.quiet(1000), true);
  } finally { await c.dispose(); }
});

// The subscriptions-transport-ws client (legacy subprotocol graphql-ws, Hasura's default) against a real server process.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { SubscriptionClient } = require('subscriptions-transport-ws');
const { ADMIN_SECRET, WebSocket, createDatabase, startServer, inbox } = require('../lib/harness');

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

function client(connectionParams = { headers: { 'x-hasura-admin-secret': ADMIN_SECRET } }, connectionCallback) {
  return new SubscriptionClient(server.ws, { connectionParams, reconnect: false, lazy: false, connectionCallback }, WebSocket);
}

function request(c, query, variables) {
  const box = inbox();
  const sub = c.request({ query, variables }).subscribe({
    next: (v) => box.push({ next: v }),
    error: (e) => box.push({ error: e }),
    complete: () => box.push({ complete: true }),
  });
  return { box, sub };
}

test('handshake, then a query runs once and completes', async () => {
  const c = client();
  try {
    const { box } = request(c, '{ categories(limit: 2) { id } }');
    assert.equal((await box.next()).next.data.categories.length, 2);
    assert.deepEqual(await box.next(), { complete: true });
  } finally { c.close(); }
});

test('live query: first result, then after an API insert and a direct SQL update', async () => {
  const c = client();
  const name = 'legacy-' + Date.now();
  try {
    const { box, sub } = request(c, 'subscription ($n: String!) { categories(where: {name: {_eq: $n}}) { name icon } }', { n: name });
    assert.deepEqual((await box.next()).next.data.categories, []);
    await server.graphql('mutation ($n: String!) { insert_categories_one(object: {name: $n, icon: "x"}) { id } }', { n: name });
    assert.deepEqual((await box.next()).next.data.categories, [{ name, icon: 'x' }]);
    await db.sql('UPDATE categories SET icon = $2 WHERE name = $1', [name, 'y']);
    assert.deepEqual((await box.next()).next.data.categories, [{ name, icon: 'y' }]);
    sub.unsubscribe();
    await db.sql('UPDATE categories SET icon = $2 WHERE name = $1', [name, 'z']);
    assert.equal(await box.quiet(1000), true);
  } finally { c.close(); }
});

test('a wrong admin secret gets connection_error', async () => {
  const error = await new Promise((resolve) => {
    const c = client({ headers: { 'x-hasura-admin-secret': 'wrong' } }, (err) => { resolve(err); c.close(); });
  });
  assert.ok(error);
  assert.equal(error.extensions.code, 'access-denied');
});

test('keep-alives arrive', async () => {
  const c = client();
  try {
    let ka = 0;
    c.client.addEventListener('message', (m) => { if (JSON.parse(m.data).type === 'ka') ka++; });
    await new Promise((r) => setTimeout(r, 5600));
    assert.ok(ka >= 1, `keep-alives: ${ka}`);
  } finally { c.close(); }
});

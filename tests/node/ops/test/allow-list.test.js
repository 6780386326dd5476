// PEREGRINE_ALLOW_LIST=true: only the operations folder's documents, the REST endpoints and what an admin adds
// run for other roles; additions live in PostgreSQL, so they survive a restart.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { createClient } = require('graphql-ws');
const { createDatabase, startServer, admin, inbox, WebSocket } = require('../lib/ops.js');

let db;
before(async () => { db = await createDatabase(); });
after(async () => { await db?.drop(); });

const asUser = { ...admin, 'x-hasura-role': 'anonymous' };
const gql = (server, query, headers, variables) => fetch(`${server.http}/v1/graphql`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }),
}).then((r) => r.json());

const SHIPPED = `# Get recent phenoms
query GetRecentPhenoms($limit: Int!) {
phenom_reports(
order_by: { timestamp: desc }
limit: $limit
) {
id
description
timestamp
location
h3_index
user {
id
profile
}
media {
url
type
thumbnail_url
}
categories {
name
icon
}
}
}`;

test('allow-list: registered documents run (whitespace aside), others are "query is not allowed", admin exempt; additions persist', async () => {
  let server = await startServer(db, { env: { PEREGRINE_ALLOW_LIST: 'true' } });
  const other = 'query Other { categories(limit: 1) { name } }';
  try {
    const shipped = await gql(server, SHIPPED, asUser, { limit: 2 });
    assert.equal(shipped.data.phenom_reports.length, 2, JSON.stringify(shipped));
    const reformatted = await gql(server, SHIPPED.replace(/\n/g, '  ').replace('# Get recent phenoms', ''), asUser, { limit: 1 });
    assert.equal(reformatted.data.phenom_reports.length, 1);

    // Hostile text under the allow-list gets the executor's refusal, not a crash or a hang.
    const deep = await gql(server, 'query D ' + '{ a '.repeat(5000) + '}'.repeat(5000), asUser);
    assert.equal(deep.errors[0].extensions.code, 'validation-failed');
    const refused = await gql(server, other, asUser);
    assert.deepEqual(refused.errors, [{ message: 'query is not allowed', extensions: { path: '$', code: 'validation-failed' } }]);
    assert.ok((await gql(server, other, admin)).data, 'admin is exempt');
    const rest = await fetch(`${server.http}/api/rest/phenoms/recent?limit=1`, { headers: asUser });
    assert.equal(rest.status, 200, 'REST endpoints are registered operations');

    const notAdmin = await fetch(`${server.http}/v1/allow-list`, { method: 'POST', headers: { ...asUser, 'content-type': 'application/json' }, body: JSON.stringify({ query: other }) });
    assert.equal(notAdmin.status, 403);
    const added = await fetch(`${server.http}/v1/allow-list`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ query: other, name: 'other' }) });
    assert.equal(added.status, 200);
    const { hash } = await added.json();
    assert.match(hash, /^[0-9a-f]{64}$/);
    const { rows } = await db.sql('SELECT name FROM peregrine_allow_list WHERE hash = $1', [hash]);
    assert.deepEqual(rows, [{ name: 'other' }]);
    assert.ok((await gql(server, other, asUser)).data);
  } finally { await server.stop(); }

  server = await startServer(db, { env: { PEREGRINE_ALLOW_LIST: 'true' } });
  try {
    assert.ok((await gql(server, 'query Other {\n  categories(limit: 1) { name }\n}', asUser)).data, 'kept across a restart');
    const list = await (await fetch(`${server.http}/v1/allow-list`, { headers: admin })).json();
    assert.equal(list.enabled, true);
    assert.deepEqual(list.queries.map((q) => q.name), ['other']);
    const removed = await fetch(`${server.http}/v1/allow-list/other`, { method: 'DELETE', headers: admin });
    assert.equal(removed.status, 200);
    assert.equal((await gql(server, other, asUser)).errors[0].message, 'query is not allowed');
    assert.equal((await fetch(`${server.http}/v1/allow-list/other`, { method: 'DELETE', headers: admin })).status, 404);
  } finally { await server.stop(); }
});

test('without PEREGRINE_ALLOW_LIST every valid document runs', async () => {
  const server = await startServer(db);
  try {
    assert.ok((await gql(server, 'query Free { categories(limit: 1) { name } }', asUser)).data);
  } finally { await server.stop(); }
});

// graphql-ws (graphql-transport-ws): one subscription on a connection, its events in an inbox.
function subscribe(client, query) {
  const box = inbox();
  const dispose = client.subscribe({ query }, {
    next: (v) => box.push({ next: v }),
    error: (e) => box.push({ error: e }),
    complete: () => box.push({ complete: true }),
  });
  return { box, dispose };
}

const NEW_PHENOMS = fs.readFileSync(path.resolve(__dirname, '../../../../src/Peregrine.Graph/Operations/NewPhenoms.graphql'), 'utf8');

test('allow-list over websockets: a subscription outside it is refused when accepted, on its id, before it executes', async () => {
  const server = await startServer(db, { env: { PEREGRINE_ALLOW_LIST: 'true' } });
  const clients = [];
  const connect = (headers) => {
    const c = createClient({ url: server.ws, webSocketImpl: WebSocket, connectionParams: { headers }, retryAttempts: 0, lazy: false, onNonLazyError: () => {} });
    clients.push(c);
    return c;
  };
  try {
    const notAllowed = 'subscription NotAllowedSub { categories(order_by: { name: asc }) { name } }';
    const before = await server.stats();
    const user = connect(asUser);

    const refused = subscribe(user, notAllowed);
    const first = await refused.box.next();
    assert.ok(first.error, `expected an error, got ${JSON.stringify(first)}`);
    assert.deepEqual(first.error, [{ message: 'query is not allowed', extensions: { path: '$', code: 'validation-failed' } }]);
    // Refused before execution: no live-query group was made and no run counted (checked at run time instead,
    // the group's first run would be one refresh that the executor then refuses).
    await new Promise((r) => setTimeout(r, 300));
    const after = await server.stats();
    assert.equal(after.groups, 0);
    assert.equal(after.refreshes - before.refreshes, 0);

    // The connection stays: the shipped NewPhenoms subscription runs on it.
    const allowed = subscribe(user, NEW_PHENOMS);
    const data = await allowed.box.next();
    assert.ok(data.next?.data?.phenom_reports?.length > 0, JSON.stringify(data));
    allowed.dispose();

    // Admin is exempt over websockets too.
    const adminClient = connect(admin);
    const asAdmin = subscribe(adminClient, notAllowed);
    const adminData = await asAdmin.box.next();
    assert.ok(adminData.next?.data?.categories, JSON.stringify(adminData));
    asAdmin.dispose();

    // The legacy subprotocol (subscriptions-transport-ws) gets its own error message for that id.
    await new Promise((r) => setTimeout(r, 300));
    const beforeLegacy = await server.stats();
    const legacy = new WebSocket(server.ws, 'graphql-ws');
    const messages = inbox();
    legacy.on('message', (m) => messages.push(JSON.parse(m.toString())));
    await new Promise((r, j) => { legacy.once('open', r); legacy.once('error', j); });
    legacy.send(JSON.stringify({ type: 'connection_init', payload: { headers: asUser } }));
    let m = await messages.next();
    assert.equal(m.type, 'connection_ack');
    legacy.send(JSON.stringify({ id: 'legacy-1', type: 'start', payload: { query: notAllowed } }));
    do m = await messages.next(); while (m.type === 'ka');
    assert.deepEqual(m, { type: 'error', id: 'legacy-1', payload: { message: 'query is not allowed', extensions: { path: '$', code: 'validation-failed' } } });
    legacy.close();

    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await server.stats()).refreshes, beforeLegacy.refreshes, 'the refused legacy start never ran');
  } finally {
    for (const c of clients) await c.dispose();
    await server.stop();
  }
});

// PEREGRINE_ALLOW_LIST=true: only the operations folder's documents, the REST endpoints and what an admin adds
// run for other roles; additions live in PostgreSQL, so they survive a restart.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { createDatabase, startServer, admin } = require('../lib/ops.js');

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

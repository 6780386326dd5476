// Automatic persisted queries with @apollo/client's persisted-queries link, across two server processes
// that share a (private) Redis: what one instance was taught, the other runs from the hash alone.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { ApolloClient, InMemoryCache, HttpLink, gql } = require('@apollo/client/core');
const { createPersistedQueryLink } = require('@apollo/client/link/persisted-queries');
const { createDatabase, startServer, startRedis, admin } = require('../lib/ops.js');

let db, redis, a, b;
before(async () => {
  db = await createDatabase();
  redis = await startRedis();
  [a, b] = await Promise.all([startServer(db, { redisUrl: redis.url }), startServer(db, { redisUrl: redis.url })]);
});
after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
  await db?.drop();
});

const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');

/** An Apollo client on `server` whose fetches are recorded (method, whether the query text was sent). */
function client(server, { useGET = false } = {}) {
  const sent = [];
  const recordingFetch = async (url, init) => {
    const u = new URL(url);
    const body = init.body ? JSON.parse(init.body) : null;
    sent.push({ method: init.method ?? 'GET', withQuery: Boolean(body?.query ?? u.searchParams.get('query')) });
    return fetch(url, init);
  };
  const link = createPersistedQueryLink({ sha256, useGETForHashedQueries: useGET })
    .concat(new HttpLink({ uri: `${server.http}/v1/graphql`, headers: admin, fetch: recordingFetch }));
  return { apollo: new ApolloClient({ link, cache: new InMemoryCache() }), sent };
}

const RECENT = gql`query ApqRecent($limit: Int!) { phenom_reports(order_by: { timestamp: desc }, limit: $limit) { id description } }`;

test('first use: PersistedQueryNotFound, then the link registers the query; the answer matches SQL', async () => {
  const { apollo, sent } = client(a);
  const { data } = await apollo.query({ query: RECENT, variables: { limit: 3 } });
  const { rows } = await db.sql('SELECT id::text FROM phenom_reports ORDER BY timestamp DESC LIMIT 3');
  assert.deepEqual(data.phenom_reports.map((x) => x.id), rows.map((x) => x.id));
  assert.deepEqual(sent.map((s) => s.withQuery), [false, true]);
});

test('the other instance (same Redis) runs the query from its hash alone, over GET too', async () => {
  const post = client(b);
  const { data } = await post.apollo.query({ query: RECENT, variables: { limit: 2 } });
  assert.equal(data.phenom_reports.length, 2);
  assert.deepEqual(post.sent, [{ method: 'POST', withQuery: false }]);

  const viaGet = client(b, { useGET: true });
  const again = await viaGet.apollo.query({ query: RECENT, variables: { limit: 4 } });
  assert.equal(again.data.phenom_reports.length, 4);
  assert.deepEqual(viaGet.sent, [{ method: 'GET', withQuery: false }]);
});

test('the wire protocol: unknown hash → PersistedQueryNotFound (200); hash mismatch → refused; stored in Redis', async () => {
  const text = 'query ApqWire { categories(limit: 1) { name } }';
  const hash = sha256(text);
  const post = (body) => fetch(`${a.http}/v1/graphql`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const ext = (h) => ({ persistedQuery: { version: 1, sha256Hash: h } });

  const unknown = await post({ extensions: ext(hash) });
  assert.equal(unknown.status, 200);
  assert.deepEqual((await unknown.json()).errors[0], { message: 'PersistedQueryNotFound', extensions: { path: '$', code: 'PERSISTED_QUERY_NOT_FOUND' } });

  const mismatch = await post({ query: 'query Other { categories { id } }', extensions: ext(hash) });
  assert.equal(mismatch.status, 400);
  assert.equal((await mismatch.json()).errors[0].message, 'provided sha does not match query');
  assert.equal((await post({ extensions: ext(hash) }).then((r) => r.json())).errors[0].message, 'PersistedQueryNotFound');

  const registered = await post({ query: text, extensions: ext(hash) });
  assert.ok((await registered.json()).data.categories);
  const viaGet = await fetch(`${b.http}/v1/graphql?extensions=${encodeURIComponent(JSON.stringify(ext(hash)))}`, { headers: admin });
  assert.ok((await viaGet.json()).data.categories);

  // A document over 64 K characters runs but is not kept: registering is client-driven and must not fill memory.
  const big = `query ApqBig { categories(limit: 1) { name } }\n#${'x'.repeat(70 * 1024)}`;
  const bigHash = sha256(big);
  assert.ok((await post({ query: big, extensions: ext(bigHash) }).then((r) => r.json())).data);
  assert.equal((await post({ extensions: ext(bigHash) }).then((r) => r.json())).errors[0].message, 'PersistedQueryNotFound');

  const malformed = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'xyz' } } });
  assert.equal(malformed.status, 400);

  // Independent truth: the document is in Redis, with a TTL.
  const net = require('node:net');
  const reply = await new Promise((resolve, reject) => {
    const s = net.connect(redis.port, '127.0.0.1', () => s.write(`TTL peregrine:apq:${hash}\r\n`));
    s.on('data', (d) => { resolve(d.toString()); s.end(); });
    s.on('error', reject);
  });
  const ttl = Number(reply.trim().slice(1));
  assert.ok(ttl > 0, `TTL answered ${reply}`);
});

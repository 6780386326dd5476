// A read replica going away and coming back, against a real server process over a private primary and its private
// streaming replica: queries keep answering (from the primary) with no error while it is down, /healthz shows it
// down without failing the instance, and once it is back it takes the queries again. The health loop runs every
// 2 s here, so the reads in flight and those sent before it notices meet the stopping replica themselves: each
// must be answered by the primary instead.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startPostgres, startReplica, startServer, waitFor, sleep } = require('../lib/services');

let db;
let replica;
let server;
before(async () => {
  db = await startPostgres();
  replica = await startReplica(db);
  server = await startServer({
    dbUrl: db.url,
    env: { PEREGRINE_READ_REPLICA_URLS: replica.url, PEREGRINE_READ_REPLICA_CHECK_MS: '2000', PEREGRINE_READ_REPLICA_MAX_LAG_MS: '600000' },
  });
});
after(async () => {
  await server?.stop();
  await replica?.destroy();
  await db?.endPool?.();
  await db?.destroy();
});

const QUERY = '{ categories(order_by: {name: asc}) { name } }';
const names = async () => (await server.graphql(QUERY)).categories.map((c) => c.name);
const replicaStatus = async () => (await server.health()).body.replicas[0];

// With replay paused the replica lacks a row the primary has: an answer without it came from the replica.
async function servedByReplica() {
  const name = `probe-${Date.now()}-${Math.random().toString(16).slice(2, 8)}`;
  await replica.sql('SELECT pg_wal_replay_pause()');
  await waitFor('replay paused', async () => (await replica.sql("SELECT pg_get_wal_replay_pause_state() AS s")).rows[0].s === 'paused');
  try {
    await db.sql('INSERT INTO categories (id, name) VALUES (gen_random_uuid(), $1)', [name]);
    assert.equal((await db.sql('SELECT count(*)::int AS n FROM categories WHERE name = $1', [name])).rows[0].n, 1);
    return !(await names()).includes(name);
  } finally {
    await replica.sql('SELECT pg_wal_replay_resume()');
    await replica.caughtUp();
  }
}

test('queries go to the replica; stopped, they go to the primary with no error; back, to the replica again', async () => {
  await waitFor('replica up', async () => (await replicaStatus()).status === 'up');
  assert.ok(await servedByReplica(), 'a query was not answered by the replica');

  // Readers all along the outage: none may see an error.
  let running = true;
  let answered = 0;
  const failures = [];
  const readers = Array.from({ length: 4 }, async () => {
    while (running) {
      const r = await server.post(QUERY);
      if (r.status !== 200 || r.body.errors) failures.push(r);
      else answered++;
    }
  });
  try {
    await sleep(300);
    await replica.stop();
    await waitFor('replica down in /healthz', async () => (await replicaStatus()).status === 'down');
    const health = await server.health();
    assert.equal(health.status, 200, 'a replica down must not fail the instance');
    assert.equal(health.body.status, 'ok');
    assert.ok(health.body.replicas[0].error, 'no reason given for the replica being down');

    // Down: a row written now is in the next answer, which only the primary can give.
    const name = `while-down-${Date.now()}`;
    await db.sql('INSERT INTO categories (id, name) VALUES (gen_random_uuid(), $1)', [name]);
    assert.ok((await names()).includes(name));
    const primaryReads = (await server.health()).body.primary_reads;
    await sleep(300);
    assert.ok((await server.health()).body.primary_reads > primaryReads, 'reads did not go to the primary');

    await replica.start();
    await waitFor('replica up again in /healthz', async () => (await replicaStatus()).status === 'up');
    await sleep(300);
  } finally {
    running = false;
    await Promise.all(readers);
  }
  console.log(JSON.stringify({ answered, failed: failures.length }));
  assert.deepEqual(failures.slice(0, 3), [], `${failures.length} of ${failures.length + answered} queries failed`);
  assert.ok(answered > 20, `only ${answered} queries answered`);

  await replica.caughtUp();
  assert.ok(await servedByReplica(), 'the replica took no query after coming back');
});

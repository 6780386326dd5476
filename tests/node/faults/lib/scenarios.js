// The fault scenarios, each returning what it measured. The tests (test/*.test.js) run them small and
// assert on the figures; `./peregrine faults` (run.js) runs them at full size and prints them as tables.
'use strict';
const pg = require('pg');
const WebSocket = require('ws');
const { sleep, waitFor, redisOnFreePort, startServer } = require('./services');
const { subscribe, subscribeMany, kindOf } = require('./clients');

const byName = 'subscription ($n: String!) { categories(where: {name: {_eq: $n}}) { name icon } }';
const setIcon = 'mutation ($n: String!, $i: String!) { update_categories(where: {name: {_eq: $n}}, _set: {icon: $i}) { affected_rows } }';

function metrics(scenario) {
  return {
    scenario,
    requests: 0,
    errors: {},
    eventsExpected: 0,
    eventsDelivered: 0,
    recoveryMs: null,
    websocketsDropped: 0,
    notes: {},
    count(kind) {
      this.requests++;
      if (kind !== 'ok') this.errors[kind] = (this.errors[kind] ?? 0) + 1;
    },
  };
}

async function post(server, m, query, variables) {
  try {
    const r = await server.post(query, variables);
    m.count(kindOf(r));
    return r;
  } catch (e) {
    m.count(`network ${e.cause?.code ?? e.message}`);
    return null;
  }
}

/** Two instances started side by side; both land in `servers` (stopped by the caller) even if one fails. */
async function startTwo(servers, options) {
  const started = await Promise.allSettled([startServer(options), startServer(options)]);
  for (const r of started) if (r.status === 'fulfilled') servers.push(r.value);
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

const iconOf = (s) => s.last?.categories?.[0]?.icon;

/** Subscribers whose last result shows the icon the database holds now (the independent truth). */
async function converged(db, subs, names) {
  const { rows } = await db.sql('SELECT name, icon FROM categories WHERE name = ANY($1)', [names]);
  const truth = new Map(rows.map((r) => [r.name, r.icon]));
  return subs.filter((s, i) => iconOf(s) === truth.get(names[i])).length;
}

async function waitConverged(db, subs, names, timeoutMs) {
  const start = Date.now();
  let n = 0;
  while (Date.now() - start < timeoutMs) {
    n = await converged(db, subs, names);
    if (n === subs.length) break;
    await sleep(250);
  }
  return { converged: n, ms: Date.now() - start };
}

/**
 * Two instances configured with a Redis that is down when they start: both serve queries and mutations,
 * /healthz says 503 naming redis; writes are made while it is down; once Redis is up every subscriber on
 * either instance shows the final state (the instance that did not capture the writes resyncs).
 */
async function redisDownAtStart(db, { subscribers = 20 } = {}) {
  const m = metrics('Redis down at start-up');
  const redis = await redisOnFreePort();
  const tag = `down-${Date.now()}`;
  const names = Array.from({ length: subscribers }, (_, i) => `${tag}-${i}`);
  const servers = [];
  let subs = [];
  try {
    await startTwo(servers, { dbUrl: db.url, redisUrl: redis.url, healthy: false });
    m.notes.healthWhileDown = await servers[0].health();
    for (let i = 0; i < 10; i++) {
      await post(servers[i % 2], m, '{ categories(limit: 3) { name } }');
      await post(servers[i % 2], m, 'mutation ($n: String!) { insert_categories_one(object: {name: $n, icon: "m"}) { id } }', { n: `${tag}-m${i}` });
    }
    subs = await subscribeMany(subscribers, (i) => subscribe(servers[i % 2], byName, { n: names[i] }));
    // Written while Redis is down, straight into the database (change capture sees them).
    await db.sql('INSERT INTO categories (name, icon) SELECT unnest($1::text[]), $2', [names, 'while-down']);
    await sleep(1000);
    m.notes.deliveredWhileDown = await converged(db, subs, names);
    const before = await Promise.all(servers.map((s) => s.stats()));
    const t0 = Date.now();
    await redis.start();
    await waitFor('healthz 200 on both', async () => (await Promise.all(servers.map((s) => s.health()))).every((h) => h.status === 200), 30000);
    m.recoveryMs = Date.now() - t0;
    const back = await waitConverged(db, subs, names, 20000);
    m.notes.convergedAfterRedisMs = back.ms;
    m.notes.healthAfter = await servers[0].health();
    const after = await Promise.all(servers.map((s) => s.stats()));
    m.notes.resyncs = after.map((a, i) => a.resyncs - before[i].resyncs);
    // And the bus carries events again: a write after recovery reaches everyone.
    await db.sql('UPDATE categories SET icon = $2 WHERE name = ANY($1)', [names, 'after']);
    const final = await waitConverged(db, subs, names, 20000);
    m.eventsExpected = subscribers * 2;
    m.eventsDelivered = back.converged + final.converged;
    m.websocketsDropped = subs.filter((s) => s.closes.length > 0).length;
    return m;
  } finally {
    await Promise.all(subs.map((s) => s?.dispose()));
    await Promise.all(servers.map((s) => s.stop()));
    await redis.stop();
  }
}

/**
 * Two instances behind one Redis, `subscribers` live queries (one row each, split over both instances),
 * mutations going on through both at `writesPerSecond`; Redis is killed and restarted mid-run. Every
 * subscriber must end with its row's final state, and no websocket may close.
 */
async function redisRestart(db, { subscribers = 100, writesPerSecond = 40, downMs = 3000 } = {}) {
  const m = metrics(`Redis restarted under ${subscribers} subscribers`);
  const redis = await redisOnFreePort();
  await redis.start();
  const tag = `restart-${Date.now()}`;
  const names = Array.from({ length: subscribers }, (_, i) => `${tag}-${i}`);
  await db.sql('INSERT INTO categories (name, icon) SELECT unnest($1::text[]), $2', [names, 'v0']);
  const servers = [];
  let subs = [];
  try {
    await startTwo(servers, { dbUrl: db.url, redisUrl: redis.url });
    subs = await subscribeMany(subscribers, (i) => subscribe(servers[i % 2], byName, { n: names[i] }));
    let writing = true;
    let version = 0;
    const writer = (async () => {
      const interval = 1000 / writesPerSecond;
      while (writing) {
        const started = Date.now();
        const i = Math.floor(Math.random() * subscribers);
        // Through either instance: half the writes are captured by the one that does not forward events.
        void post(servers[version % 2], m, setIcon, { n: names[i], i: `v${++version}` });
        await sleep(Math.max(0, interval - (Date.now() - started)));
      }
    })();
    await sleep(2000);
    await redis.stop();
    await sleep(downMs);
    const t0 = Date.now();
    await redis.start();
    await waitFor('healthz 200 on both', async () => (await Promise.all(servers.map((s) => s.health()))).every((h) => h.status === 200), 30000);
    m.recoveryMs = Date.now() - t0;
    await sleep(3000);
    writing = false;
    await writer;
    await sleep(200); // the last fire-and-forget writes land
    const done = await waitConverged(db, subs, names, 30000);
    m.notes.convergedAfterWritesMs = done.ms;
    m.eventsExpected = subscribers;
    m.eventsDelivered = done.converged;
    m.websocketsDropped = subs.filter((s) => s.closes.length > 0).length;
    m.notes.pushes = subs.reduce((a, s) => a + s.nexts, 0);
    return m;
  } finally {
    await Promise.all(subs.map((s) => s?.dispose()));
    await Promise.all(servers.map((s) => s.stop()));
    await redis.stop();
  }
}

/**
 * PostgreSQL stopped (fast shutdown: sessions terminated) and started again under a mixed load of
 * queries and two-row mutations. Every answer is data or a clean 503 postgres-error; requests succeed
 * again soon after PostgreSQL is back; change capture's LISTEN is re-established (a write made in SQL
 * after the restart reaches a live query); no mutation is half applied.
 */
async function postgresRestart(db, { concurrency = 8, downMs = 2000 } = {}) {
  const m = metrics('PostgreSQL restarted under load');
  const server = await startServer({ dbUrl: db.url });
  const tag = `after-${Date.now()}`;
  const live = subscribe(server, 'subscription ($p: String!) { categories_aggregate(where: {name: {_like: $p}}) { aggregate { count } } }', { p: `${tag}-%` });
  const answers = [];
  let running = true;
  let pair = 0;
  try {
    await live.ready;
    const workers = Array.from({ length: concurrency }, async (_, w) => {
      while (running) {
        const sent = Date.now();
        const k = `pair-${tag}-${w}-${pair++}`;
        const r = pair % 2
          ? await post(server, m, '{ categories(limit: 5, order_by: {name: asc}) { name } }')
          : await post(server, m, 'mutation ($a: String!, $b: String!) { insert_categories(objects: [{name: $a}, {name: $b}]) { affected_rows } }', { a: `${k}-a`, b: `${k}-b` });
        answers.push({ sent, at: Date.now(), kind: r ? kindOf(r) : 'network', body: r?.body });
        if (!r || r.status !== 200) await sleep(50); // a client backing off, not a tight loop
      }
    });
    await sleep(1500);
    const tDown = Date.now();
    await db.stop();
    await sleep(downMs);
    await db.start();
    const tUp = Date.now();
    m.notes.downForMs = tUp - tDown;
    await sleep(7000);
    running = false;
    await Promise.all(workers);
    const firstOk = answers.filter((a) => a.sent >= tUp && a.kind === 'ok').sort((a, b) => a.at - b.at)[0];
    m.recoveryMs = firstOk ? firstOk.at - tUp : null;
    m.notes.failedAfter5s = answers.filter((a) => a.sent >= tUp + 5000 && a.kind !== 'ok').length;
    m.notes.leakedStack = answers.some((a) => JSON.stringify(a.body ?? '').includes('   at '));
    // LISTEN re-established: a write made in SQL reaches the live query.
    const t1 = Date.now();
    await db.sql('INSERT INTO categories (name) VALUES ($1)', [`${tag}-1`]);
    await waitFor('live query after restart', () => live.last?.categories_aggregate?.aggregate?.count === 1, 15000, 50)
      .then(() => { m.eventsDelivered = 1; m.notes.listenBackMs = Date.now() - t1; })
      .catch(() => { m.eventsDelivered = 0; });
    m.eventsExpected = 1;
    const half = await db.sql(`SELECT left(name, length(name) - 2) AS k, count(*)::int AS n FROM categories
                               WHERE name LIKE $1 GROUP BY 1 HAVING count(*) <> 2`, [`pair-${tag}-%`]);
    m.notes.halfApplied = half.rows.length;
    const okPairs = answers.filter((a) => a.kind === 'ok' && a.body?.data?.insert_categories).length;
    m.notes.mutationsOk = okPairs;
    m.websocketsDropped = live.closes.length;
    return m;
  } finally {
    running = false;
    await live.dispose();
    await server.stop();
  }
}

/**
 * SIGTERM while a request is in flight (held by a table lock) and websockets are open: the request is
 * answered, every websocket is closed with 1001, new connections are refused, and the process exits
 * well within PEREGRINE_SHUTDOWN_TIMEOUT_SECONDS.
 */
async function sigterm(db, { websockets = 20, holdMs = 1500, timeoutSeconds = 10 } = {}) {
  const m = metrics(`SIGTERM with ${websockets} websockets and a request in flight`);
  const server = await startServer({ dbUrl: db.url, env: { PEREGRINE_SHUTDOWN_TIMEOUT_SECONDS: String(timeoutSeconds) } });
  const tag = `term-${Date.now()}`;
  const subs = await subscribeMany(websockets, (i) => subscribe(server, byName, { n: `${tag}-${i}` }));
  // The legacy protocol too (subscriptions-transport-ws speaks `graphql-ws`).
  const legacy = new WebSocket(server.ws, 'graphql-ws');
  const legacyClosed = new Promise((r) => legacy.on('close', (code) => r(code)));
  await new Promise((r) => legacy.on('open', r));
  legacy.send(JSON.stringify({ type: 'connection_init', payload: { headers: { 'x-hasura-admin-secret': 'faults-admin-secret' } } }));
  const locker = new pg.Client({ connectionString: db.url });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE categories IN ACCESS EXCLUSIVE MODE');
    const inFlight = server.post(`{ categories(where: {name: {_eq: "${tag}"}}) { name } }`);
    await sleep(300);
    const t0 = Date.now();
    server.proc.kill('SIGTERM');
    await sleep(300);
    let refused = false;
    try { await fetch(`${server.http}/healthz`, { signal: AbortSignal.timeout(2000) }); } catch { refused = true; }
    m.notes.newConnectionRefused = refused;
    await sleep(Math.max(0, holdMs - 600));
    await locker.query('COMMIT');
    const answered = await inFlight.then((r) => r, (e) => ({ status: 0, body: { raw: e.message } }));
    m.count(kindOf(answered));
    const exit = await Promise.race([server.exited, sleep(30000).then(() => null)]);
    m.notes.exitCode = exit?.code ?? 'still running';
    m.notes.exitMs = exit ? exit.at - t0 : null;
    m.recoveryMs = m.notes.exitMs;
    await sleep(200);
    const codes = subs.map((s) => s.closes[0]);
    codes.push(await Promise.race([legacyClosed, sleep(1000).then(() => 'open')]));
    m.notes.closeCodes = [...new Set(codes)];
    m.eventsExpected = codes.length;
    m.eventsDelivered = codes.filter((c) => c === 1001).length;
    m.websocketsDropped = codes.filter((c) => c !== 1001).length;
    return m;
  } finally {
    await locker.end().catch(() => {});
    await Promise.all(subs.map((s) => s.dispose().catch(() => {})));
    legacy.terminate();
    await server.stop();
  }
}

/** A request that never finishes (the table stays locked): the process still exits at the shutdown timeout. */
async function sigtermTimeout(db, { timeoutSeconds = 2 } = {}) {
  const m = metrics(`SIGTERM with a stuck request (timeout ${timeoutSeconds} s)`);
  const server = await startServer({ dbUrl: db.url, env: { PEREGRINE_SHUTDOWN_TIMEOUT_SECONDS: String(timeoutSeconds) } });
  const locker = new pg.Client({ connectionString: db.url });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE categories IN ACCESS EXCLUSIVE MODE');
    const inFlight = server.post('{ categories(limit: 1) { name } }').catch(() => null);
    await sleep(300);
    const t0 = Date.now();
    server.proc.kill('SIGTERM');
    const exit = await Promise.race([server.exited, sleep(30000).then(() => null)]);
    m.notes.exitMs = exit ? exit.at - t0 : null;
    m.recoveryMs = m.notes.exitMs;
    await inFlight;
    return m;
  } finally {
    await locker.query('ROLLBACK').catch(() => {});
    await locker.end().catch(() => {});
    await server.stop();
  }
}

module.exports = { redisDownAtStart, redisRestart, postgresRestart, sigterm, sigtermTimeout };

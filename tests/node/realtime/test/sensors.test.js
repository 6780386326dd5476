// Sensors end to end, as the "done when" walks it, with real clients against two server instances that
// share a private Redis and the real InfluxDB: a new user makes an enclosure and a device, gets device
// credentials, exchanges them at /oauth/token, posts line protocol to instance B, and sees the readings on
// instance A through sensor_readings, sensor_series and devices { latest_readings } (compared with InfluxQL run
// straight against InfluxDB), live through sensor_readings_live (graphql-ws), and an alarm rule's alarm live.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const os = require('node:os');
const path = require('node:path');
const fs = require('node:fs');
const { createClient } = require('graphql-ws');
const { WebSocket, createDatabase, startServer, startRedis, inbox } = require('../lib/harness');

const influxDb = 'node_sensors_' + crypto.randomBytes(4).toString('hex');
const jwtSecret = JSON.stringify({ type: 'HS256', key: crypto.randomBytes(32).toString('hex') });
const spool = fs.mkdtempSync(path.join(os.tmpdir(), 'peregrine-node-spool-'));
let db, redis, a, b;

async function influx(q) {
  const r = await fetch(`${process.env.PEREGRINE_INFLUX_URL}/query`, { method: 'POST', body: new URLSearchParams({ db: influxDb, q }) });
  const body = await r.json();
  const series = body.results?.[0]?.series?.[0];
  return series ? series.values.map((v) => Object.fromEntries(series.columns.map((c, i) => [c, v[i]]))) : [];
}

before(async () => {
  db = await createDatabase();
  redis = await startRedis();
  const env = { PEREGRINE_INFLUX_DB: influxDb, PEREGRINE_JWT_SECRET: jwtSecret, PEREGRINE_SENSOR_SPOOL_DIR: spool, PEREGRINE_MUTATIONS_PER_SECOND: '0' };
  a = await startServer(db, { redisUrl: redis.url, env });
  b = await startServer(db, { redisUrl: redis.url, env: { ...env, PEREGRINE_SENSOR_SPOOL_DIR: spool + '-b' } });
});
after(async () => {
  await a?.stop();
  await b?.stop();
  await redis?.stop();
  await db?.drop();
  await fetch(`${process.env.PEREGRINE_INFLUX_URL}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${influxDb}"` }) }).catch(() => {});
  fs.rmSync(spool, { recursive: true, force: true });
  fs.rmSync(spool + '-b', { recursive: true, force: true });
});

async function gql(server, token, query, variables) {
  const r = await fetch(`${server.http}/v1/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await r.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

function live(server, token, query, variables) {
  const box = inbox();
  const client = createClient({ url: server.ws, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false,
    connectionParams: { headers: { Authorization: `Bearer ${token}` } } });
  client.subscribe({ query, variables }, { next: (v) => box.push({ at: Date.now(), ...v }), error: (e) => box.push({ error: e }), complete() {} });
  return { box, client };
}

test('a new user: device credentials, line protocol on B, readings, series, latest and live on A, and a live alarm', async () => {
  const signup = await (await fetch(`${a.http}/signup/email-password`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `sensors-${Date.now()}@example.com`, password: 'correct horse battery staple' }),
  })).json();
  const user = signup.session.accessToken;
  const enclosure = (await gql(a, user, 'mutation { insert_enclosures_one(object: {name: "Gecko tank", kind: "terrarium"}) { id } }')).insert_enclosures_one.id;
  const device = (await gql(a, user, 'mutation($e: uuid!) { insert_devices_one(object: {name: "Climate probe", kind: "probe", enclosure_id: $e}) { id } }', { e: enclosure })).insert_devices_one.id;
  const creds = (await gql(a, user, 'mutation($d: uuid!) { create_device_credentials(device_id: $d) { client_id client_secret } }', { d: device })).create_device_credentials;

  const tokenResponse = await fetch(`${b.http}/oauth/token`, {
    method: 'POST',
    headers: { authorization: 'Basic ' + Buffer.from(`${creds.client_id}:${creds.client_secret}`).toString('base64') },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  assert.equal(tokenResponse.status, 200);
  assert.equal(tokenResponse.headers.get('cache-control'), 'no-store');
  const token = await tokenResponse.json();
  assert.equal(token.token_type, 'Bearer');

  // History: an hour of one-minute readings, posted as line protocol by the device to instance B.
  // A whole hour two days back: inside the 30-day retention policy whenever this runs.
  const hour = Math.floor(Date.now() / 3600_000) * 3600_000 - 48 * 3600_000;
  const lines = Array.from({ length: 60 }, (_, i) => `sensor_readings,sensor=temperature value=${(24 + i / 10).toFixed(1)} ${(hour + i * 60_000) * 1e6}`);
  const post = await fetch(`${b.http}/v1/sensors/write`, {
    method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${token.access_token}` }, body: lines.join('\n'),
  });
  assert.equal(post.status, 204, await post.text());

  const truth = await influx(`SELECT value FROM sensor_readings WHERE device_id = '${device}' AND sensor = 'temperature'`);
  assert.equal(truth.length, 60);
  const read = await gql(a, user, `query($d: uuid!, $from: timestamptz!, $to: timestamptz!) {
      sensor_readings(device_id: $d, sensor: "temperature", from: $from) { time value }
      sensor_series(device_id: $d, sensor: "temperature", from: $from, to: $to, every: "10m", fn: max) { time value }
      devices_by_pk(id: $d) { name latest_readings { sensor time value } }
    }`, { d: device, from: new Date(hour).toISOString(), to: new Date(hour + 3600_000).toISOString() });
  assert.deepEqual(read.sensor_readings, truth.map((t) => ({ time: t.time, value: t.value })));
  const series = await influx(`SELECT max(value) FROM sensor_readings WHERE device_id = '${device}' AND sensor = 'temperature' AND time >= '${new Date(hour).toISOString()}' AND time < '${new Date(hour + 3600_000).toISOString()}' GROUP BY time(10m) fill(none)`);
  assert.deepEqual(read.sensor_series, series.map((s) => ({ time: s.time, value: s.max })));
  assert.equal(read.sensor_series.length, 6);
  assert.deepEqual(read.devices_by_pk.latest_readings, [{ sensor: 'temperature', time: truth[59].time, value: truth[59].value }]);

  // Live: subscribed on A, written on B through the device's token.
  const feed = live(a, user, 'subscription($d: uuid!) { sensor_readings_live(device_id: $d) { sensor time value } }', { d: device });
  // An alarm: above 30 °C, at once; its events live on A.
  await gql(a, user, `mutation($d: uuid!) { insert_alarm_rules_one(object: {device_id: $d, sensor: "temperature", field: "value", condition: "above", threshold: 30, for_seconds: 0, enabled: true}) { id } }`, { d: device });
  const alarms = live(a, user, 'subscription { alarm_events(where: {resolved_at: {_is_null: true}}) { device_id sensor value } }');
  try {
    assert.deepEqual((await feed.box.next()).data.sensor_readings_live, []);
    assert.deepEqual((await alarms.box.next()).data.alarm_events, []);
    const now = new Date();
    const written = Date.now();
    const hot = await fetch(`${b.http}/v1/sensors/write`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
      body: JSON.stringify([{ sensor: 'temperature', time: now.toISOString(), value: 31.5 }]),
    });
    assert.equal(hot.status, 204, await hot.text());
    const pushed = await feed.box.next(5000);
    assert.deepEqual(pushed.data.sensor_readings_live.map((r) => [r.sensor, r.value]), [['temperature', 31.5]]);
    assert.equal(Date.parse(pushed.data.sensor_readings_live[0].time), now.getTime());
    assert.ok(pushed.at - written < 1000, `live reading after ${pushed.at - written} ms`);
    const alarm = await alarms.box.next(5000);
    assert.deepEqual(alarm.data.alarm_events, [{ device_id: device, sensor: 'temperature', value: 31.5 }]);
    assert.ok(alarm.at - written < 1000, `alarm after ${alarm.at - written} ms`);
    const rows = await db.sql('SELECT count(*)::int AS n FROM alarm_events WHERE device_id = $1 AND resolved_at IS NULL', [device]);
    assert.equal(rows.rows[0].n, 1);
  } finally {
    await feed.client.dispose();
    await alarms.client.dispose();
  }
});

test("another user's token cannot read or write the device's readings", async () => {
  const owner = await (await fetch(`${a.http}/signup/email-password`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `owner-${Date.now()}@example.com`, password: 'correct horse battery staple' }),
  })).json();
  const other = await (await fetch(`${a.http}/signup/email-password`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `other-${Date.now()}@example.com`, password: 'correct horse battery staple' }),
  })).json();
  const device = (await gql(a, owner.session.accessToken, 'mutation { insert_devices_one(object: {name: "mine", kind: "probe"}) { id } }')).insert_devices_one.id;
  const when = new Date(Date.now() - 86400_000).toISOString();
  await gql(a, owner.session.accessToken, 'mutation($d: uuid!, $t: timestamptz!) { insert_sensor_readings(objects: [{device_id: $d, sensor: "t", value: 1, time: $t}]) { affected_rows } }', { d: device, t: when });

  const r = await fetch(`${a.http}/v1/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${other.session.accessToken}` },
    body: JSON.stringify({ query: 'mutation($d: uuid!, $t: timestamptz!) { insert_sensor_readings(objects: [{device_id: $d, sensor: "t", value: 666, time: $t}]) { affected_rows } }', variables: { d: device, t: when } }),
  });
  const body = await r.json();
  assert.equal(body.errors?.[0]?.extensions?.code, 'permission-error');
  const seen = await gql(a, other.session.accessToken, 'query($d: uuid!) { sensor_readings(device_id: $d, from: "2026-11-01T00:00:00Z") { value } }', { d: device });
  assert.deepEqual(seen.sensor_readings, []);
  const stored = await influx(`SELECT value FROM sensor_readings WHERE device_id = '${device}'`);
  assert.deepEqual(stored.map((s) => s.value), [1]);
});

test('a viewer removed from the enclosure stops receiving its live readings; the owner does not', async () => {
  const signup = async (who) => (await (await fetch(`${a.http}/signup/email-password`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${who}-${Date.now()}@example.com`, password: 'correct horse battery staple' }),
  })).json());
  const owner = await signup('keeper');
  const viewer = await signup('viewer');
  const enclosure = (await gql(a, owner.session.accessToken, 'mutation { insert_enclosures_one(object: {name: "Shared tank", kind: "terrarium"}) { id } }')).insert_enclosures_one.id;
  const device = (await gql(a, owner.session.accessToken, 'mutation($e: uuid!) { insert_devices_one(object: {name: "Shared probe", kind: "probe", enclosure_id: $e}) { id } }', { e: enclosure })).insert_devices_one.id;
  await gql(a, owner.session.accessToken, 'mutation($e: uuid!, $u: uuid!) { insert_enclosure_members_one(object: {enclosure_id: $e, user_id: $u, role: "viewer"}) { user_id } }',
    { e: enclosure, u: viewer.session.user.id });

  const query = 'subscription($d: uuid!) { sensor_readings_live(device_id: $d) { value } }';
  const theirs = live(a, owner.session.accessToken, query, { d: device });
  const mine = live(a, viewer.session.accessToken, query, { d: device });
  const write = (value) => gql(b, owner.session.accessToken,
    'mutation($d: uuid!, $v: Float!) { insert_sensor_readings(objects: [{device_id: $d, sensor: "t", value: $v}]) { affected_rows } }', { d: device, v: value });
  try {
    for (const s of [theirs, mine]) assert.deepEqual((await s.box.next(5000)).data.sensor_readings_live, []);
    await write(1);
    for (const s of [theirs, mine]) assert.deepEqual((await s.box.next(5000)).data.sensor_readings_live, [{ value: 1 }]);

    // Behind the API's back: the membership goes, and with it the viewer's right to read the device.
    await db.sql('DELETE FROM enclosure_members WHERE enclosure_id = $1 AND user_id = $2', [enclosure, viewer.session.user.id]);
    await new Promise((r) => setTimeout(r, 1000));
    await write(2);
    assert.deepEqual((await theirs.box.next(5000)).data.sensor_readings_live, [{ value: 2 }]);
    assert.ok(await mine.box.quiet(1500), 'the removed viewer still received a reading');
  } finally {
    await theirs.client.dispose();
    await mine.client.dispose();
  }
});

// /metrics, /v1/version, /healthz, request logs and OTLP traces, on real server processes.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { createDatabase, startServer, admin, scrape, metric, decodeSpans, WebSocket, waitFor, sleep } = require('../lib/ops.js');

let db;
before(async () => { db = await createDatabase(); });
after(async () => { await db?.drop(); });

const gql = (server, query, { variables, operationName, headers = {} } = {}) => fetch(`${server.http}/v1/graphql`, {
  method: 'POST', headers: { ...admin, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables, operationName }),
}).then((r) => r.json());

test('GET /v1/version answers <semver>+<the checkout\'s git sha>', async () => {
  const server = await startServer(db);
  try {
    const body = await (await fetch(`${server.http}/v1/version`)).json();
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: path.resolve(__dirname, '../../../..'), encoding: 'utf8' }).trim();
    assert.match(body.version, /^\d+\.\d+\.\d+\+[0-9a-f]{40}$/);
    // The binary was built from some commit of this checkout (the build may predate the newest commit).
    execFileSync('git', ['cat-file', '-e', body.version.split('+')[1] + '^{commit}'], { cwd: path.resolve(__dirname, '../../../..') });
    assert.ok(sha.length === 40);
    const health = await fetch(`${server.http}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(health.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(await health.text(), 'OK');
    const verbose = await (await fetch(`${server.http}/healthz?verbose=1`)).json();
    assert.equal(verbose.status, 'ok');
    assert.equal(verbose.dependencies.postgres.status, 'ok');
  } finally { await server.stop(); }
});

test('/metrics moves with real traffic: requests, latency, errors, websockets, events, cache, pool', async () => {
  const server = await startServer(db);
  try {
    const before = await scrape(server);
    for (let i = 0; i < 3; i++) await gql(server, 'query MetricsRecent { phenom_reports(limit: 2) { id } }', { operationName: 'MetricsRecent' });
    await gql(server, 'mutation MetricsInsert($d: String) { insert_categories_one(object: { name: "metrics-cat", description: $d }) { id } }', { operationName: 'MetricsInsert', variables: { d: 'x' } });
    await gql(server, 'query MetricsBad { no_such_field }', { operationName: 'MetricsBad' });
    const ws = new WebSocket(server.ws, 'graphql-transport-ws', { headers: admin });
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { headers: admin } }));
    await new Promise((r) => ws.once('message', r));
    ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { categories(order_by: { name: asc }) { name } }' } }));
    await new Promise((r) => ws.once('message', r));
    await db.sql(`INSERT INTO categories (id, name, description) VALUES (gen_random_uuid(), 'metrics-direct', 'x')`);
    await waitFor('a pushed change', async () => metric(await scrape(server), 'peregrine_events_delivered_total') >= 2, 20000);

    const after = await scrape(server);
    const delta = (name, labels) => metric(after, name, labels) - metric(before, name, labels);
    assert.equal(delta('peregrine_graphql_requests_total', { operation_name: 'MetricsRecent', operation_type: 'query', outcome: 'ok' }), 3);
    assert.equal(delta('peregrine_graphql_requests_total', { operation_name: 'MetricsInsert', operation_type: 'mutation' }), 1);
    assert.equal(delta('peregrine_graphql_request_duration_seconds_count', { operation_name: 'MetricsRecent' }), 3);
    assert.ok(delta('peregrine_graphql_request_duration_seconds_bucket', { operation_name: 'MetricsRecent', le: '+Inf' }) === 3);
    assert.ok(delta('peregrine_graphql_errors_total', { code: 'validation-failed' }) >= 1);
    assert.equal(metric(after, 'peregrine_websocket_connections'), 1);
    assert.equal(metric(after, 'peregrine_live_query_groups'), 1);
    assert.equal(metric(after, 'peregrine_live_query_subscribers'), 1);
    assert.ok(delta('peregrine_events_received_total') >= 1);
    assert.ok(delta('peregrine_result_cache_misses_total') >= 1);
    assert.ok(metric(after, 'peregrine_result_cache_hits_total') >= 1, 'the repeated query is answered from the cache');
    assert.ok([...after.keys()].some((k) => k.startsWith('db_client_connection_count{') && k.includes('state="idle"')));
    ws.close();
    await waitFor('websocket gauge back to 0', async () => metric(await scrape(server), 'peregrine_websocket_connections') === 0);
  } finally { await server.stop(); }
});

test('operation names are bounded label values: 300 distinct names make at most 201 series', async () => {
  const server = await startServer(db);
  try {
    for (let i = 0; i < 300; i++) await gql(server, `query N${i} { __typename }`, { operationName: `N${i}` });
    await gql(server, 'query { __typename }', { operationName: 'bad name\nwith newline' });
    const names = new Set([...(await scrape(server)).keys()]
      .filter((k) => k.startsWith('peregrine_graphql_requests_total{'))
      .map((k) => k.match(/operation_name="([^"]*)"/)[1]));
    assert.ok(names.size <= 201, `${names.size} names`);
    assert.ok(names.has('other'));
  } finally { await server.stop(); }
});

test('sign-in and /oauth/token rate-limit rejections are counted in /metrics, by limit', async () => {
  // Three requests a minute per address: the fourth sign-in is refused. /oauth/token counts against the same
  // address budget (devices are limited like sign-in), so once it is spent the token endpoint refuses at once.
  const server = await startServer(db, { env: {
    PEREGRINE_AUTH_SIGNIN_PER_IP_PER_MINUTE: '3',
    PEREGRINE_JWT_SECRET: '{"type":"HS256","key":"0123456789abcdef0123456789abcdef"}',
  } });
  const rejections = async (limit) => metric(await scrape(server), 'peregrine_rate_limit_rejections_total', { limit });
  try {
    const before = { signin: await rejections('signin'), oauth: await rejections('oauth_token'), mutations: await rejections('mutations') };
    const signIns = [];
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${server.http}/signin/email-password`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nobody@example.com', password: 'not-the-password-' + i }),
      });
      signIns.push(r.status);
    }
    assert.deepEqual(signIns.map((s) => s === 429), [false, false, false, true, true], `statuses ${signIns}`);
    const tokens = [];
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${server.http}/oauth/token`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=no-such-device&client_secret=wrong',
      });
      tokens.push(r.status);
      assert.equal((await r.json()).error, 'slow_down');
    }
    assert.deepEqual(tokens, [429, 429]);
    // The exporter may answer a scrape from a short-lived cache: wait for the counts rather than read once.
    await waitFor('sign-in rejections counted', async () => (await rejections('signin')) - before.signin === 2, 10000);
    await waitFor('/oauth/token rejections counted', async () => (await rejections('oauth_token')) - before.oauth === 2, 10000);
    assert.equal(await rejections('mutations'), before.mutations, 'counted apart from the mutation limit');
  } finally { await server.stop(); }
});

test('PEREGRINE_METRICS_SECRET guards /metrics with a bearer token', async () => {
  const server = await startServer(db, { env: { PEREGRINE_METRICS_SECRET: 'scrape-me' } });
  try {
    assert.equal((await fetch(`${server.http}/metrics`)).status, 401);
    assert.equal((await fetch(`${server.http}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
    const ok = await fetch(`${server.http}/metrics`, { headers: { authorization: 'Bearer scrape-me' } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /peregrine_websocket_connections/);
  } finally { await server.stop(); }
});

test('logs: one JSON line per request with operation, type, role, status, ms, request id; never variables or tokens; slow at warning', async () => {
  const server = await startServer(db, { env: { PEREGRINE_LOG_FORMAT: 'json', Logging__LogLevel__Default: 'Information', PEREGRINE_SLOW_QUERY_MS: '100000' } });
  try {
    const secretValue = 'variable-value-that-must-not-be-logged';
    await gql(server, 'query LogMe($d: String!) { categories(where: { description: { _eq: $d } }) { id } }',
      { operationName: 'LogMe', variables: { d: secretValue }, headers: { authorization: 'Bearer token-that-must-not-be-logged' } });
    await fetch(`${server.http}/v1/graphql?query=${encodeURIComponent('query Q { categories { id } }')}&variables=${encodeURIComponent(JSON.stringify({ x: secretValue }))}`, { headers: admin });
    await waitFor('request lines', () => server.log.includes('"LogMe"') && server.log.includes('GET'), 10000);
    await sleep(300);
    const lines = server.log.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const requests = lines.filter((l) => l.Category === 'Peregrine.Requests');
    const line = requests.find((l) => l.State.OperationName === 'LogMe');
    assert.ok(line, server.log);
    assert.equal(line.LogLevel, 'Information');
    assert.equal(line.State.OperationType, 'query');
    assert.equal(line.State.Role, 'admin');
    assert.equal(line.State.Status, 200);
    assert.equal(line.State.Path, '/v1/graphql');
    assert.ok(typeof line.State.ElapsedMs === 'number' || typeof line.State.ElapsedMs === 'string');
    assert.ok(line.State.RequestId);
    assert.ok(!server.log.includes(secretValue), 'a variable value reached the log');
    assert.ok(!server.log.includes('token-that-must-not-be-logged'), 'a token reached the log');
    assert.ok(!server.log.includes(admin['x-hasura-admin-secret']), 'the admin secret reached the log');
    assert.ok(!lines.some((l) => l.Category.startsWith('Microsoft.AspNetCore.Hosting')), 'ASP.NET per-request lines are off by default');
  } finally { await server.stop(); }

  const slow = await startServer(db, { env: { Logging__LogLevel__Default: 'Information', PEREGRINE_SLOW_QUERY_MS: '0' } });
  try {
    await gql(slow, 'query SlowOne { categories { id } }', { operationName: 'SlowOne' });
    await waitFor('slow line', () => /warn: Peregrine\.Requests\[0\]\s+POST \/v1\/graphql 200 in [\d.]+ ms \(slow\) operation=SlowOne type=query role=admin/.test(slow.log), 10000);
  } finally { await slow.stop(); }
});

test('traces over OTLP/HTTP: graphql.operation under the HTTP span that continues the caller\'s traceparent, with parse/validate/compile/sql children', async () => {
  const spans = [];
  const receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces') spans.push(...decodeSpans(Buffer.concat(chunks)));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${receiver.address().port}`;
  const server = await startServer(db, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_BSP_SCHEDULE_DELAY: '200' } });
  try {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const body = await gql(server, 'query Traced { categories(limit: 1) { name } }',
      { operationName: 'Traced', headers: { traceparent: `00-${traceId}-${parentId}-01` } });
    assert.ok(body.data);
    // Children end (and are exported) before their parents: wait for the whole chain.
    await waitFor('the spans of the trace', () => ['graphql.sql', 'graphql.operation'].every((n) => spans.some((s) => s.name === n && s.traceId === traceId))
      && spans.some((s) => s.traceId === traceId && s.parentSpanId === parentId), 20000);
    const ours = spans.filter((s) => s.traceId === traceId);
    const httpSpan = ours.find((s) => s.parentSpanId === parentId);
    assert.ok(httpSpan, JSON.stringify(ours));
    const op = ours.find((s) => s.name === 'graphql.operation');
    assert.equal(op.parentSpanId, httpSpan.spanId);
    assert.equal(op.attributes['graphql.operation.name'], 'Traced');
    assert.equal(op.attributes['graphql.operation.type'], 'query');
    assert.equal(op.attributes['peregrine.role'], 'admin');
    for (const child of ['graphql.parse', 'graphql.validate', 'graphql.compile']) {
      const span = ours.find((s) => s.name === child);
      assert.ok(span, child);
      assert.equal(span.parentSpanId, op.spanId, child);
    }
    const sql = ours.find((s) => s.name === 'graphql.sql');
    assert.match(sql.attributes['db.query.text'], /categories/, 'admin sees the statement');

    // Another role's SQL span carries no statement text.
    const anonTrace = '5bf92f3577b34da6a3ce929d0e0e4736';
    await gql(server, 'query TracedAnon { categories(limit: 1) { name } }',
      { operationName: 'TracedAnon', headers: { 'x-hasura-role': 'anonymous', traceparent: `00-${anonTrace}-${parentId}-01` } });
    await waitFor('the anonymous sql span', () => spans.some((s) => s.name === 'graphql.sql' && s.traceId === anonTrace), 20000);
    assert.equal(spans.find((s) => s.name === 'graphql.sql' && s.traceId === anonTrace).attributes['db.query.text'], undefined);
  } finally {
    await server.stop();
    receiver.close();
  }
});

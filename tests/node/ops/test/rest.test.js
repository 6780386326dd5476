// REST endpoints (Hasura's RESTified endpoints) over a real server process, checked against SQL.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createDatabase, startServer, admin, runToExit } = require('../lib/ops.js');

let db, server;
before(async () => {
  db = await createDatabase();
  server = await startServer(db);
});
after(async () => {
  await server?.stop();
  await db?.drop();
});

const get = (p, headers = admin) => fetch(`${server.http}${p}`, { headers });

test('GET phenoms/recent?limit= runs GetRecentPhenoms and answers its data, newest first as in SQL', async () => {
  const r = await get('/api/rest/phenoms/recent?limit=5');
  assert.equal(r.status, 200);
  const body = await r.json();
  const { rows } = await db.sql('SELECT id::text FROM phenom_reports ORDER BY timestamp DESC LIMIT 5');
  assert.deepEqual(body.phenom_reports.map((x) => x.id), rows.map((x) => x.id));
  assert.ok('categories' in body.phenom_reports[0] && 'media' in body.phenom_reports[0]);
});

test('a :segment fills its variable (phenoms/:id, phenoms/hex/:h3Index) and literal routes win over it', async () => {
  const { rows: [one] } = await db.sql('SELECT id::text, description, h3_index FROM phenom_reports ORDER BY id LIMIT 1');
  const byId = await (await get(`/api/rest/phenoms/${one.id}`)).json();
  assert.equal(byId.phenom_reports_by_pk.id, one.id);
  assert.equal(byId.phenom_reports_by_pk.description, one.description);
  const byHex = await (await get(`/api/rest/phenoms/hex/${one.h3_index}`)).json();
  const { rows } = await db.sql('SELECT id::text FROM phenom_reports WHERE h3_index = $1', [one.h3_index]);
  assert.deepEqual(byHex.phenom_reports.map((x) => x.id).sort(), rows.map((x) => x.id).sort());
  const since = await (await get('/api/rest/phenoms/since?size=3&since=2000-01-01T00:00:00Z')).json();
  assert.equal(since.phenom_reports.length, 3);
});

test('a subscription served over REST answers its current result once (NewPhenoms)', async () => {
  const body = await (await get('/api/rest/phenoms/new')).json();
  const { rows } = await db.sql('SELECT id::text FROM phenom_reports ORDER BY timestamp DESC LIMIT 10');
  assert.deepEqual(body.phenom_reports.map((x) => x.id), rows.map((x) => x.id));
});

test('variables are coerced to their GraphQL types; bad ones are Hasura REST errors {code, error, path}', async () => {
  const bad = await get('/api/rest/phenoms/recent?limit=ten');
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { code: 'validation-failed', error: 'variable "limit" of type Int! expects an integer', path: '$.variables.limit' });
  const missing = await get('/api/rest/phenoms/recent');
  assert.equal(missing.status, 400);
  assert.equal((await missing.json()).code, 'validation-failed');
  const notFound = await get('/api/rest/no/such/endpoint');
  assert.equal(notFound.status, 404);
  assert.deepEqual(await notFound.json(), { code: 'not-found', error: 'Endpoint not found', path: '$' });
  const wrongMethod = await fetch(`${server.http}/api/rest/phenoms/recent`, { method: 'DELETE', headers: admin });
  assert.equal(wrongMethod.status, 405);
  assert.equal((await wrongMethod.json()).code, 'method-not-allowed');
  const badJson = await fetch(`${server.http}/api/rest/phenoms`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: '{"report":' });
  assert.equal(badJson.status, 400);
  assert.equal((await badJson.json()).code, 'invalid-json');
});

test('POST with a JSON body runs the mutation (CreatePhenomReport) and the row is in the database', async () => {
  const report = { description: 'rest endpoint test report', location: { type: 'Point', coordinates: [13.4, 52.5] }, timestamp: '2026-01-02T03:04:05Z' };
  const r = await fetch(`${server.http}/api/rest/phenoms`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ report }) });
  assert.equal(r.status, 200, await r.clone().text());
  const id = (await r.json()).insert_phenom_reports_one.id;
  const { rows } = await db.sql('SELECT description FROM phenom_reports WHERE id = $1', [id]);
  assert.equal(rows[0].description, report.description);
});

test('the same session and permissions as GraphQL: the anonymous role reads profiles but may not update them', async () => {
  const { rows: [user] } = await db.sql('SELECT id::text, profile FROM users ORDER BY id LIMIT 1');
  const anonymous = { ...admin, 'x-hasura-role': 'anonymous' };
  const read = await get(`/api/rest/users/${user.id}/profile`, anonymous);
  assert.equal(read.status, 200);
  assert.deepEqual((await read.json()).users_by_pk, { id: user.id, profile: user.profile });
  const write = await fetch(`${server.http}/api/rest/users/${user.id}/profile`, {
    method: 'PUT', headers: { ...anonymous, 'content-type': 'application/json' }, body: JSON.stringify({ profile: { hacked: true } }),
  });
  assert.equal(write.status, 400);
  assert.equal((await write.json()).code, 'validation-failed');
  const { rows: [after] } = await db.sql('SELECT profile FROM users WHERE id = $1', [user.id]);
  assert.deepEqual(after.profile, user.profile);
  const asAdmin = await fetch(`${server.http}/api/rest/users/${user.id}/profile`, {
    method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ profile: { bio: 'set over REST' } }),
  });
  assert.equal(asAdmin.status, 200);
  const { rows: [changed] } = await db.sql('SELECT profile FROM users WHERE id = $1', [user.id]);
  assert.deepEqual(changed.profile, { bio: 'set over REST' });
  const noCredentials = await get('/api/rest/phenoms/recent?limit=1', {});
  assert.equal(noCredentials.status, 403);
  assert.equal((await noCredentials.json()).code, 'access-denied');
});

test('GET /api/swagger/json is an OpenAPI 3 document of every endpoint with typed parameters', async () => {
  const doc = await (await fetch(`${server.http}/api/swagger/json`)).json();
  assert.match(doc.openapi, /^3\./);
  const byId = doc.paths['/api/rest/phenoms/{id}'].get;
  assert.deepEqual(byId.parameters, [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }]);
  const recent = doc.paths['/api/rest/phenoms/recent'].get;
  assert.equal(recent.parameters[0].name, 'limit');
  assert.equal(recent.parameters[0].in, 'query');
  assert.equal(recent.parameters[0].required, true);
  assert.equal(recent.parameters[0].schema.type, 'integer');
  const create = doc.paths['/api/rest/phenoms'].post;
  assert.deepEqual(create.requestBody.content['application/json'].schema.required, ['report']);
  const profile = doc.paths['/api/rest/users/{userId}/profile'];
  assert.ok(profile.get && profile.post && profile.put);
  for (const name of ['recent_phenoms', 'phenom', 'phenoms_by_hex', 'create_phenom_report', 'user_profile', 'search_phenoms', 'new_phenoms', 'phenoms_since'])
    assert.ok(Object.values(doc.paths).some((p) => Object.values(p).some((op) => op.operationId.startsWith(name))), name);
});

test('a bad endpoints file stops the server at start-up with one line and exit code 2', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'peregrine-rest-'));
  const file = path.join(dir, 'rest-endpoints.json');
  fs.writeFileSync(file, JSON.stringify([{ name: 'x', url: 'things/:nope', methods: ['GET'], operation: 'query Q($id: uuid!) { phenom_reports_by_pk(id: $id) { id } }' }]));
  const run = await runToExit({ PEREGRINE_DATABASE_URL: db.url, PEREGRINE_REST_ENDPOINTS_FILE: file });
  assert.equal(run.code, 2);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], /^invalid setting PEREGRINE_REST_ENDPOINTS_FILE=.*url segment :nope names no variable/);
  fs.writeFileSync(file, '{"endpoints": [{"name": "y", "url": "a", "methods": ["GET"], "operation": "query { nope "}]}');
  const syntax = await runToExit({ PEREGRINE_DATABASE_URL: db.url, PEREGRINE_REST_ENDPOINTS_FILE: file });
  assert.equal(syntax.code, 2);
  assert.match(syntax.stderr, /not valid GraphQL/);
  fs.rmSync(dir, { recursive: true });
});

test('an endpoint whose operation does not validate against the schema stops start-up with one line naming it (exit 2)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'peregrine-rest-'));
  const file = path.join(dir, 'rest-endpoints.json');
  const env = { PEREGRINE_DATABASE_URL: db.url, PEREGRINE_REST_ENDPOINTS_FILE: file, ASPNETCORE_ENVIRONMENT: 'Staging', PEREGRINE_ADMIN_SECRET: admin['x-hasura-admin-secret'] };
  const good = { name: 'good', url: 'good/:id', methods: ['GET'], operation: 'query Good($id: uuid!) { phenom_reports_by_pk(id: $id) { id } }' };
  const cases = [
    [{ name: 'unknown_field', url: 'a/:id', methods: ['GET'], operation: 'query A($id: uuid!) { phenom_reports_by_pk(id: $id) { id no_such_column } }' },
      /^invalid setting PEREGRINE_REST_ENDPOINTS_FILE=.*endpoint "unknown_field": its operation does not validate against the schema: .*no_such_column/],
  ];
  try {
    for (const [bad, expected] of cases) {
      fs.writeFileSync(file, JSON.stringify({ endpoints: [good, bad] }));
      const run = await runToExit(env);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      const lines = run.stderr.trim().split('\n');
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], expected);
    }
    // The same file without the bad endpoint starts and serves it.
    fs.writeFileSync(file, JSON.stringify({ endpoints: [good] }));
    const ok = await startServer(db, { env: { PEREGRINE_REST_ENDPOINTS_FILE: file } });
    try {
      const { rows } = await db.sql('SELECT id FROM phenom_reports LIMIT 1');
      const r = await fetch(`${ok.http}/api/rest/good/${rows[0].id}`, { headers: admin });
      assert.equal(r.status, 200);
      assert.equal((await r.json()).phenom_reports_by_pk.id, rows[0].id);
    } finally { await ok.stop(); }
  } finally { fs.rmSync(dir, { recursive: true }); }
});

// Out of the box and in production, on real server processes: started as `./peregrine run` starts them (an
// empty development-keys folder, no admin or JWT secret), sign-up, sign-in and GraphQL with the issued token
// work and the keys are reused on the next start; in production the same start is refused.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { createDatabase, startServer, runServerToExit, tempDir, graphql, postJson, operation } = require('../lib/server');

let db;
before(async () => { db = await createDatabase({ reports: 12 }); });
after(async () => { await db?.drop(); });

test('first run makes development keys, sign-up → sign-in → GraphQL works, and later runs reuse the keys', async () => {
  const keys = path.join(tempDir('peregrine-devkeys-'), 'dev-keys');
  const env = { PEREGRINE_DATABASE_URL: db.url, PEREGRINE_DEV_KEYS_DIR: keys, PEREGRINE_ENABLE_CONSOLE: 'true' };
  let server = await startServer(env);
  let token;
  let adminSecret;
  try {
    const adminFile = path.join(keys, 'admin-secret');
    const jwtFile = path.join(keys, 'jwt-secret.json');
    assert.ok(server.output.includes(`Development keys made in ${keys}`), server.output);
    assert.ok(server.output.includes(adminFile) && server.output.includes(jwtFile), 'prints where the keys are');
    for (const f of [adminFile, jwtFile]) assert.equal(fs.statSync(f).mode & 0o777, 0o600, `${f} is readable by its owner only`);
    adminSecret = fs.readFileSync(adminFile, 'utf8').trim();
    assert.ok(adminSecret.length >= 32);
    assert.ok(!server.output.includes(adminSecret), 'the admin secret itself is never printed');
    const jwt = JSON.parse(fs.readFileSync(jwtFile, 'utf8'));
    assert.equal(jwt.type, 'HS256');
    assert.ok(!server.output.includes(jwt.key), 'the JWT key itself is never printed');

    const email = `first-run-${Date.now()}@example.com`;
    const password = 'first-run-password-1';
    const signup = await postJson(`${server.url}/signup/email-password`, { email, password });
    assert.equal(signup.status, 200, signup.text);
    const signin = await postJson(`${server.url}/signin/email-password`, { email, password });
    assert.equal(signin.status, 200, signin.text);
    token = signin.body.session.accessToken;
    assert.ok(token);

    const expected = (await db.sql('SELECT id::text FROM phenom_reports ORDER BY "timestamp" DESC LIMIT 5')).rows.map((r) => r.id);
    const asUser = await graphql(server.url, operation('GetRecentPhenoms'), { limit: 5 }, { authorization: `Bearer ${token}` });
    assert.equal(asUser.status, 200, JSON.stringify(asUser.body));
    assert.deepEqual(asUser.body.data.phenom_reports.map((r) => String(r.id)), expected);

    const inserted = await graphql(server.url, operation('CreatePhenomReport'),
      { report: { description: 'first run', location: { type: 'Point', coordinates: [-9.14, 38.72] } } },
      { authorization: `Bearer ${token}` });
    assert.ok(inserted.body.data?.insert_phenom_reports_one?.id, JSON.stringify(inserted.body));
    const owner = await db.sql('SELECT u.email FROM phenom_reports r JOIN users u ON u.id = r.user_id WHERE r.id::text = $1',
      [String(inserted.body.data.insert_phenom_reports_one.id)]);
    assert.equal(owner.rows[0]?.email, email, 'the report belongs to the signed-in user');

    const admin = await graphql(server.url, '{ users_aggregate { aggregate { count } } }', {}, { 'x-hasura-admin-secret': adminSecret });
    assert.ok(admin.body.data, JSON.stringify(admin.body));
    const wrong = await graphql(server.url, '{ users_aggregate { aggregate { count } } }', {}, { 'x-hasura-admin-secret': 'not-the-secret' });
    assert.ok(wrong.body.errors, 'a wrong admin secret is refused');
  } finally {
    await server.stop();
  }

  const before = fs.readFileSync(path.join(keys, 'jwt-secret.json'), 'utf8');
  server = await startServer(env);
  try {
    assert.ok(server.output.includes(`Development keys from ${keys}`), server.output);
    assert.equal(fs.readFileSync(path.join(keys, 'jwt-secret.json'), 'utf8'), before, 'the JWT key is reused');
    const again = await graphql(server.url, operation('GetRecentPhenoms'), { limit: 1 }, { authorization: `Bearer ${token}` });
    assert.equal(again.body.data?.phenom_reports?.length, 1, `yesterday's token still verifies: ${JSON.stringify(again.body)}`);
    const admin = await graphql(server.url, '{ users_aggregate { aggregate { count } } }', {}, { 'x-hasura-admin-secret': adminSecret });
    assert.ok(admin.body.data, 'the admin secret is reused');
  } finally {
    await server.stop();
  }
});

const refusals = [
  [{ PEREGRINE_ENV: 'production' }, 'PEREGRINE_ADMIN_SECRET'],
  [{ ASPNETCORE_ENVIRONMENT: 'Production' }, 'PEREGRINE_ADMIN_SECRET'],
  [{ PEREGRINE_ENV: 'production', PEREGRINE_ADMIN_SECRET: 'a-production-admin-secret' }, 'PEREGRINE_JWT_SECRET'],
  [{ PEREGRINE_ENV: 'production', PEREGRINE_JWT_SECRET: '{"type":"HS256","key":"0123456789abcdef0123456789abcdef"}' }, 'PEREGRINE_ADMIN_SECRET'],
];
for (const [extra, missing] of refusals) {
  test(`production (${Object.keys(extra).join(', ')}) without ${missing} refuses to start, one line, exit 2, no development keys`, async () => {
    const keys = path.join(tempDir('peregrine-prodkeys-'), 'dev-keys');
    const { code, stdout, stderr } = await runServerToExit({ PEREGRINE_DATABASE_URL: db.url, PEREGRINE_DEV_KEYS_DIR: keys, ...extra });
    assert.equal(code, 2, `exit ${code}\n${stdout}${stderr}`);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1, stderr);
    assert.ok(lines[0].startsWith(`invalid setting ${missing}=: required in production`), lines[0]);
    assert.equal(stdout.trim(), '');
    assert.ok(!fs.existsSync(keys), 'no development keys are made in production');
  });
}

test('PEREGRINE_ENV accepts only production or development', async () => {
  const { code, stderr } = await runServerToExit({ PEREGRINE_DATABASE_URL: db.url, PEREGRINE_ENV: 'prod' });
  assert.equal(code, 2);
  assert.ok(stderr.trim().startsWith('invalid setting PEREGRINE_ENV=prod: '), stderr);
});

test('production with both secrets starts, with the console off unless enabled', async () => {
  const secrets = {
    PEREGRINE_DATABASE_URL: db.url,
    PEREGRINE_ENV: 'production',
    PEREGRINE_ADMIN_SECRET: 'a-production-admin-secret',
    PEREGRINE_JWT_SECRET: '{"type":"HS256","key":"0123456789abcdef0123456789abcdef"}',
  };
  let server = await startServer(secrets);
  try {
    assert.equal((await fetch(`${server.url}/console`)).status, 404);
    assert.equal((await fetch(`${server.url}/`, { redirect: 'manual' })).status, 404);
    assert.ok(!server.output.includes('Development keys'));
  } finally { await server.stop(); }
  server = await startServer({ ...secrets, HASURA_GRAPHQL_ENABLE_CONSOLE: 'true' });
  try {
    const res = await fetch(`${server.url}/`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/console');
  } finally { await server.stop(); }
});

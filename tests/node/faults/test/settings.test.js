// Bad settings stop the real server process with one line naming the variable, the value and what is
// allowed, and a non-zero exit: never a silent fallback to the default.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { runServerToExit } = require('../lib/services');

// Validation runs before anything connects: no database is needed to be refused.
const base = {
  PEREGRINE_DATABASE_URL: 'postgres://peregrine@127.0.0.1:1/never-reached',
  HASURA_GRAPHQL_DATABASE_URL: '',
  PEREGRINE_REDIS_URL: '',
  PEREGRINE_INFLUX_URL: '',
  PEREGRINE_JWT_SECRET: '',
  HASURA_GRAPHQL_JWT_SECRET: '',
};

const cases = [
  ['PEREGRINE_H3_RESOLUTION', '16', 'PEREGRINE_H3_RESOLUTION=16: expected an integer from 0 to 15'],
  ['PEREGRINE_H3_RESOLUTION', 'seven', 'PEREGRINE_H3_RESOLUTION=seven: expected an integer from 0 to 15'],
  ['PEREGRINE_MUTATIONS_PER_SECOND', '-1', 'PEREGRINE_MUTATIONS_PER_SECOND=-1: expected an integer of at least 0'],
  ['PEREGRINE_RESULT_CACHE_MB', '64MB', 'PEREGRINE_RESULT_CACHE_MB=64MB: expected an integer from 0 to 1048576'],
  ['PEREGRINE_MAX_REQUEST_BYTES', '0', 'PEREGRINE_MAX_REQUEST_BYTES=0: expected an integer of at least 1'],
  ['PEREGRINE_SHUTDOWN_TIMEOUT_SECONDS', '-5', 'PEREGRINE_SHUTDOWN_TIMEOUT_SECONDS=-5: expected a number from 0 to 3600'],
  ['PEREGRINE_AUTH_SIGNIN_PER_IP_PER_MINUTE', '1.5', 'PEREGRINE_AUTH_SIGNIN_PER_IP_PER_MINUTE=1.5: expected an integer of at least 1'],
  ['PEREGRINE_REDIS_URL', 'redis://:pw@', 'PEREGRINE_REDIS_URL=redis://***@: '],
  ['PEREGRINE_INFLUX_URL', 'influx:8086', 'PEREGRINE_INFLUX_URL=influx:8086: expected an absolute URL starting with http:// or https://'],
  // The secret itself never appears, only its length.
  ['PEREGRINE_JWT_SECRET', '{"type":"HS256","key":"too-short"}', 'PEREGRINE_JWT_SECRET=<hidden, 34 characters>: Key size too small; should be at least 32 characters'],
  ['PEREGRINE_TRUSTED_PROXIES', '10.0.0.0/8, not-an-address', 'PEREGRINE_TRUSTED_PROXIES=10.0.0.0/8, not-an-address: '],
  ['PEREGRINE_ENCRYPTION_KEY', 'too-short', 'PEREGRINE_ENCRYPTION_KEY=<hidden>: expected 32-byte keys'],
  ['PEREGRINE_CORS_DOMAIN', 'app.example.com', 'PEREGRINE_CORS_DOMAIN=app.example.com: '],
  ['PEREGRINE_MAX_NODES', '-1', 'PEREGRINE_MAX_NODES=-1: expected an integer of at least 0'],
  ['PEREGRINE_QUERY_TIMEOUT_MS', '0', 'PEREGRINE_QUERY_TIMEOUT_MS=0: expected an integer of at least 1'],
  ['PEREGRINE_MAX_FIELDS', 'many', 'PEREGRINE_MAX_FIELDS=many: expected an integer of at least 1'],
  ['PEREGRINE_ADMIN_MAX_DEPTH', '500', 'PEREGRINE_ADMIN_MAX_DEPTH=500: expected an integer from 1 to 128'],
  ['PEREGRINE_STORAGE', 'ftp', 'PEREGRINE_STORAGE=ftp: '],
  ['PEREGRINE_STORAGE_MAX_BYTES', '500MB', 'PEREGRINE_STORAGE_MAX_BYTES=500MB: expected an integer from 1 to'],
  ['HASURA_GRAPHQL_JWT_SECRET', 'not json', 'HASURA_GRAPHQL_JWT_SECRET=<hidden, 8 characters>: not valid JSON'],
];

for (const [name, value, expected] of cases) {
  test(`${name}=${value} stops the server with one line`, async () => {
    const { code, stdout, stderr } = await runServerToExit({ ...base, [name]: value });
    assert.equal(code, 2, `exit code ${code}\n${stdout}${stderr}`);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1, `more than one line:\n${stderr}`);
    assert.ok(lines[0].startsWith(`invalid setting ${expected}`), lines[0]);
    assert.equal(stdout.trim(), '', 'nothing else is printed');
    if (name.includes('JWT') || name.includes('KEY')) assert.ok(!stderr.includes('too-short') && !stderr.includes('not json'), 'the secret leaked');
  });
}

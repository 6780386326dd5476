// The GraphiQL console in a real browser: Debian's chromium, headless, driven by playwright-core (no browser
// download). It loads /console from a server started as `./peregrine run` starts it, applies the admin secret
// from the development keys through the form, runs GetRecentPhenoms (the ids shown are compared with SQL),
// switches role to see that role's schema, and runs the NewPhenoms subscription over graphql-transport-ws
// while a report is inserted over HTTP. Screenshots go to artifacts/ (git-ignored).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { BUNDLE, createDatabase, startServer, tempDir, graphql, operation, sleep } = require('../lib/server');

const CHROMIUM = process.env.PEREGRINE_CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '../artifacts');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let db;
let server;
let browser;
let page;
let adminSecret;
const problems = [];
const wsLog = [];

before(async () => {
  assert.ok(fs.existsSync(BUNDLE), `the console bundle is not in the server's output (${BUNDLE}): build clients/console, then the server`);
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing (Debian package chromium; ./peregrine test installs it)`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  db = await createDatabase({ reports: 20 });
  const keys = path.join(tempDir('peregrine-console-'), 'dev-keys');
  server = await startServer({ PEREGRINE_DATABASE_URL: db.url, PEREGRINE_DEV_KEYS_DIR: keys, PEREGRINE_ENABLE_CONSOLE: 'true' });
  adminSecret = fs.readFileSync(path.join(keys, 'admin-secret'), 'utf8').trim();
  // A fresh profile each run (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(tempDir('peregrine-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1440, height: 2400 },
  });
  page = browser.pages()[0] ?? await browser.newPage();
  // The machine may be busy: a 5 MB bundle and Monaco's workers take a while to start there.
  page.setDefaultTimeout(60000);
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => wsLog.push(`sent ${String(f.payload).slice(0, 300)}`));
    ws.on('framereceived', (f) => wsLog.push(`received ${String(f.payload).slice(0, 300)}`));
    ws.on('socketerror', (e) => wsLog.push(`socket error ${e}`));
    ws.on('close', () => wsLog.push('closed'));
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon/.test(m.location().url)) problems.push(`console: ${m.text()}`); });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('request', (r) => { if (!r.url().startsWith(server.url) && !r.url().startsWith(server.url.replace('http', 'ws'))) problems.push(`off-server request: ${r.url()}`); });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await db?.drop();
});

const queryEditor = () => page.locator('.graphiql-query-editor .monaco-editor').first();
const resultText = async () => (await page.locator('.result-window').first().innerText()).replace(/\u00a0/g, ' ');

// Replaces an editor's text as a user would: select all, then type (insertText skips Monaco's auto-closing).
async function setEditor(editor, text) {
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

async function waitForResult(predicate, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await resultText();
    if (predicate(text)) return text;
    await sleep(250);
  }
  throw new Error(`result pane never showed ${what}; it shows:\n${text}\nwebsocket:\n${wsLog.join('\n')}`);
}

async function applyHeaders({ mode = 'admin', secret = adminSecret, role = '' }) {
  await page.selectOption('form.peregrine-auth select[name=mode]', mode);
  await page.fill('form.peregrine-auth input[name=secret]', secret);
  await page.fill('form.peregrine-auth input[name=role]', role);
  const introspected = page.waitForResponse((r) => r.url().endsWith('/v1/graphql') && /IntrospectionQuery/.test(r.request().postData() ?? ''));
  await page.click('form.peregrine-auth button[type=submit]');
  return introspected;
}

test('the console page is served from the server itself with its own CSP; / redirects to it; /playground is the same page', async () => {
  const res = await fetch(`${server.url}/console`);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-eval|https?:/);
  const html = await res.text();
  assert.equal(await (await fetch(`${server.url}/playground`)).text(), html);
  const root = await fetch(`${server.url}/`, { redirect: 'manual' });
  assert.equal(root.status, 302);
  assert.equal(root.headers.get('location'), '/console');
  assert.equal((await fetch(`${server.url}/console/assets/..%2Fappsettings.json`)).status, 404);
  assert.equal((await fetch(`${server.url}/console/assets/nothing.js`)).status, 404);
});

test('GetRecentPhenoms run from the console shows the ids SQL returns', async () => {
  await page.goto(`${server.url}/console`, { timeout: 120000 });
  await queryEditor().waitFor({ timeout: 60000 });
  const introspection = await applyHeaders({ mode: 'admin' });
  assert.equal(introspection.status(), 200);
  assert.equal((await introspection.request().allHeaders())['x-hasura-admin-secret'], adminSecret, 'the form set the header');

  await setEditor(queryEditor(), operation('GetRecentPhenoms'));
  await page.getByRole('button', { name: /^Variables$/ }).click();
  await setEditor(page.locator('.graphiql-editor-tool .monaco-editor').first(), '{"limit": 2}');
  await page.locator('.graphiql-execute-button').click();

  const expected = (await db.sql('SELECT id::text FROM phenom_reports ORDER BY "timestamp" DESC LIMIT 2')).rows.map((r) => r.id);
  const text = await waitForResult((t) => t.includes('"phenom_reports"') && expected.every((id) => t.includes(id)), 'the 2 newest report ids');
  assert.ok(!text.includes('"errors"'), text);
  await page.screenshot({ path: path.join(ARTIFACTS, 'console-query.png'), clip: { x: 0, y: 0, width: 1440, height: 900 } });
  assert.deepEqual(problems, []);
});

test('switching x-hasura-role shows that role\'s schema (anonymous has no mutations)', async () => {
  await page.locator('button[aria-label="Show Documentation Explorer"]').click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.getByText('mutation_root').waitFor({ timeout: 20000 });

  await applyHeaders({ mode: 'admin', role: 'anonymous' });
  await docs.getByText('query_root').waitFor({ timeout: 20000 });
  await page.waitForFunction(() => !document.querySelector('.graphiql-doc-explorer')?.innerText.includes('mutation_root'), null, { timeout: 20000 });

  await applyHeaders({ mode: 'admin', role: '' });
  await docs.getByText('mutation_root').waitFor({ timeout: 20000 });
  await page.locator('button[aria-label="Hide Documentation Explorer"]').click();
  assert.deepEqual(problems, []);
});

test('the explorer plugin lists the root fields of the schema', async () => {
  await page.locator('button[aria-label="Show GraphiQL Explorer"]').click();
  const explorer = page.locator('.graphiql-plugin');
  await explorer.getByText('phenom_reports_by_pk').first().waitFor({ timeout: 30000 });
  assert.deepEqual(problems, []);
});

test('the NewPhenoms subscription shows a report inserted over HTTP', async () => {
  await setEditor(queryEditor(), operation('NewPhenoms'));
  const socket = page.waitForEvent('websocket', (ws) => ws.url().endsWith('/v1/graphql'));
  await page.locator('.graphiql-execute-button').click();
  const ws = await socket;
  const newest = (await db.sql('SELECT id::text FROM phenom_reports ORDER BY "timestamp" DESC LIMIT 1')).rows[0].id;
  await waitForResult((t) => t.includes(newest), 'the first subscription result');

  const inserted = await graphql(server.url, operation('CreatePhenomReport'), {
    report: {
      description: 'seen from the console test',
      location: { type: 'Point', coordinates: [-122.42, 37.77] },
      timestamp: new Date(Date.now() + 60000).toISOString(),
    },
  }, { 'x-hasura-admin-secret': adminSecret });
  const id = String(inserted.body.data?.insert_phenom_reports_one?.id ?? '');
  assert.ok(id, JSON.stringify(inserted.body));
  assert.equal((await db.sql('SELECT count(*)::int AS n FROM phenom_reports WHERE id::text = $1', [id])).rows[0].n, 1);
  await waitForResult((t) => t.includes(id), `the inserted report ${id}`);
  assert.ok(!ws.isClosed(), 'over the graphql-transport-ws socket');
  await page.screenshot({ path: path.join(ARTIFACTS, 'console-subscription.png'), clip: { x: 0, y: 0, width: 1440, height: 900 } });
  assert.deepEqual(problems, []);
});

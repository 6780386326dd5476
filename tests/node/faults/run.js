#!/usr/bin/env node
// ./peregrine faults: every fault scenario at full size against a private PostgreSQL cluster and private
// redis-servers (the shared services are never touched), one table per scenario, then a summary.
// Usage: node run.js [--subscribers N] [--only NAME]   (NAME: redis-down, redis-restart, postgres, sigterm)
'use strict';
const { startPostgres } = require('./lib/services');
const scenarios = require('./lib/scenarios');

const args = process.argv.slice(2);
const arg = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const subscribers = Number(arg('--subscribers', '1000'));
const only = arg('--only', null);

// Each check is what the issue asks of the scenario; the run fails when one does not hold.
const plan = [
  ['redis-down', (db) => scenarios.redisDownAtStart(db, { subscribers: Math.min(200, subscribers) }),
    (m) => m.notes.healthWhileDown.status === 503 && Object.keys(m.errors).length === 0 && m.eventsDelivered === m.eventsExpected && m.websocketsDropped === 0],
  ['redis-restart', (db) => scenarios.redisRestart(db, { subscribers, writesPerSecond: 50 }),
    (m) => Object.keys(m.errors).length === 0 && m.eventsDelivered === m.eventsExpected && m.websocketsDropped === 0],
  ['sigterm', (db) => scenarios.sigterm(db, { websockets: Math.min(200, subscribers) }),
    (m) => Object.keys(m.errors).length === 0 && m.websocketsDropped === 0 && m.notes.exitMs < 10000],
  ['sigterm-timeout', (db) => scenarios.sigtermTimeout(db, { timeoutSeconds: 3 }),
    (m) => m.notes.exitMs !== null && m.notes.exitMs < 3000 + 4000],
  ['postgres', (db) => scenarios.postgresRestart(db, { concurrency: 16, downMs: 3000 }),
    (m) => Object.keys(m.errors).every((k) => k === '503 postgres-error') && m.recoveryMs !== null && m.recoveryMs < 5000
      && m.notes.failedAfter5s === 0 && m.eventsDelivered === 1 && m.notes.halfApplied === 0 && !m.notes.leakedStack],
];

const pad = (s, n) => String(s).padEnd(n);
const fmtMs = (ms) => (ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`);

function table(m, passed, tookMs) {
  const errors = Object.entries(m.errors).map(([k, n]) => `${k}: ${n}`).join(', ') || 'none';
  const rows = [
    ['requests sent', m.requests],
    ['errors by kind', errors],
    ['events expected', m.eventsExpected],
    ['events delivered', m.eventsDelivered],
    ['events lost', m.eventsExpected - m.eventsDelivered],
    ['websockets dropped', m.websocketsDropped],
    ['recovery time', fmtMs(m.recoveryMs)],
  ];
  for (const [k, v] of Object.entries(m.notes)) {
    if (k.startsWith('health')) rows.push([k, `${v.status} ${JSON.stringify(v.body)}`]);
    else rows.push([k, Array.isArray(v) ? v.join(', ') : k.endsWith('Ms') ? fmtMs(v) : v]);
  }
  rows.push(['result', `${passed ? 'PASS' : 'FAIL'} (${fmtMs(tookMs)})`]);
  console.log(`\n## ${m.scenario}`);
  console.log(`| ${pad('measure', 26)} | value`);
  console.log(`| ${'-'.repeat(26)} | -----`);
  for (const [k, v] of rows) console.log(`| ${pad(k, 26)} | ${v}`);
}

(async () => {
  const started = Date.now();
  console.log(`starting a private PostgreSQL cluster (subscribers: ${subscribers})`);
  const db = await startPostgres({ reports: 200 });
  const summary = [];
  try {
    for (const [name, run, check] of plan) {
      if (only && only !== name) continue;
      const t0 = Date.now();
      let m;
      try { m = await run(db); } catch (e) {
        console.log(`\n## ${name}: crashed: ${e.stack}`);
        summary.push([name, false, 0, '-', '-']);
        continue;
      }
      const passed = check(m);
      table(m, passed, Date.now() - t0);
      summary.push([m.scenario, passed, m.requests, `${m.eventsDelivered}/${m.eventsExpected}`, fmtMs(m.recoveryMs)]);
    }
  } finally {
    await db.endPool();
    await db.destroy();
  }
  console.log('\n## Summary');
  console.log(`| ${pad('scenario', 58)} | result | requests | events delivered | recovery`);
  for (const [name, passed, req, ev, rec] of summary) console.log(`| ${pad(name, 58)} | ${pad(passed ? 'PASS' : 'FAIL', 6)} | ${pad(req, 8)} | ${pad(ev, 16)} | ${rec}`);
  console.log(`\ntotal ${fmtMs(Date.now() - started)}`);
  process.exit(summary.every((s) => s[1]) ? 0 : 1);
})().catch((e) => { console.error(e); process.exit(1); });

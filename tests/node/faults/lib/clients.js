// Real graphql-ws clients that remember what they were last told, and whether their socket ever closed.
'use strict';
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');
const { ADMIN_SECRET } = require('./services');

/**
 * One subscriber on its own websocket. `last` is the latest `data` pushed; `closes` the close codes seen
 * (a healthy run sees none until dispose); `ready` resolves with the first result.
 */
function subscribe(server, query, variables) {
  let resolveReady;
  const s = {
    last: undefined,
    nexts: 0,
    errors: [],
    closes: [],
    ready: new Promise((r) => { resolveReady = r; }),
  };
  s.client = createClient({
    url: server.ws,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    keepAlive: 0,
    onNonLazyError: () => {}, // closes are recorded by on.closed below
    connectionParams: { headers: { 'x-hasura-admin-secret': ADMIN_SECRET } },
    on: { closed: (e) => { if (!s.disposed) s.closes.push(e.code); } },
  });
  s.client.subscribe({ query, variables }, {
    next: (v) => {
      s.nexts++;
      if (v.data) s.last = v.data;
      else s.errors.push(v.errors);
      resolveReady(v);
    },
    error: (e) => { s.errors.push(e); resolveReady(e); },
    complete() {},
  });
  s.dispose = async () => { s.disposed = true; await s.client.dispose(); };
  return s;
}

/** Opens `count` subscribers, `concurrency` connecting at a time, and waits for each one's first result. */
async function subscribeMany(count, make, concurrency = 50) {
  const subs = new Array(count);
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      subs[i] = make(i);
      await subs[i].ready;
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return subs;
}

/** Classifies an HTTP GraphQL answer: ok, or the error kind (`<status> <extensions.code>`). */
function kindOf({ status, body }) {
  if (status === 200 && body.data && !body.errors) return 'ok';
  const code = body.errors?.[0]?.extensions?.code ?? (body.raw !== undefined ? 'non-json' : 'none');
  return `${status} ${code}`;
}

module.exports = { subscribe, subscribeMany, kindOf };

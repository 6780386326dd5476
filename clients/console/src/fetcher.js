// How the console talks to the server it is served from: queries and mutations as JSON POSTs to /v1/graphql,
// subscriptions over graphql-transport-ws (graphql-ws) on the same path. Each call gets the headers editor's
// headers; a websocket carries them in connection_init (as Hasura reads them), so there is one socket per
// distinct header set, closed when the headers change.
import { parse } from 'graphql';
import { createClient } from 'graphql-ws';

const httpUrl = new URL('/v1/graphql', window.location.href).toString();
const wsUrl = httpUrl.replace(/^http/, 'ws');

let socket = null; // { key, client }

function socketFor(headers) {
  const key = JSON.stringify(headers);
  if (socket?.key === key) return socket.client;
  socket?.client.dispose();
  const client = createClient({ url: wsUrl, connectionParams: { headers }, lazy: true, retryAttempts: 3 });
  socket = { key, client };
  return client;
}

function isSubscription(query, operationName) {
  let doc;
  try { doc = parse(query); } catch { return false; }
  const ops = doc.definitions.filter((d) => d.kind === 'OperationDefinition');
  const op = operationName ? ops.find((d) => d.name?.value === operationName) : ops[0];
  return op?.operation === 'subscription';
}

export async function fetcher(params, opts = {}) {
  const headers = { ...(opts.headers ?? {}) };
  if (isSubscription(params.query, params.operationName)) {
    return socketFor(headers).iterate({
      query: params.query,
      variables: params.variables ?? undefined,
      operationName: params.operationName ?? undefined,
    });
  }
  const response = await fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(params),
  });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 500)}` }] };
  }
}

// HTTP load with autocannon: POSTs one scenario's GraphQL request(s) to one server and prints a JSON
// line {rps, p50, p99, requests, errors}. Rotating scenarios (by id) cycle through their bodies.
//   node load.mjs <params.json> <scenario> <peregrine|postgraphile> <url> <seconds> <connections> [headers-json]
import autocannon from "autocannon";
import { goodBody, loadParams, scenarios } from "./scenarios.mjs";

const [paramsFile, name, target, url, seconds, connections, headersJson] = process.argv.slice(2);
const spec = scenarios(loadParams(paramsFile))[name]?.[target];
if (!spec) {
  console.error(`unknown scenario/target ${name}/${target}`);
  process.exit(2);
}
const headers = { "content-type": "application/json", ...(headersJson ? JSON.parse(headersJson) : {}) };
const bodies = spec.bodies;
let next = 0;
let bad = 0;
let firstBad = null;

const result = await autocannon({
  url,
  method: "POST",
  headers,
  connections: Number(connections),
  duration: Number(seconds),
  pipelining: 1,
  timeout: 60, // seconds; the slow aggregate queues for longer than the default 10 s at 32 connections
  requests: [
    {
      method: "POST",
      setupRequest: (req) => {
        req.body = bodies[next];
        next = (next + 1) % bodies.length;
        return req;
      },
      onResponse: (status, body) => {
        if (status !== 200 || !goodBody(body)) {
          bad++;
          firstBad ??= `${status} ${String(body).slice(0, 300)}`;
        }
      },
    },
  ],
});

const seconds_ = result.duration || Number(seconds);
console.log(
  JSON.stringify({
    rps: result.requests.total / seconds_,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: bad + result.errors + result.timeouts,
    firstError: firstBad ?? undefined,
  }),
);

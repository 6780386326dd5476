// HTTP load with autocannon: POSTs one scenario's GraphQL request(s) to one server, first for the
// warm-up (discarded), then `repeats` measured runs, printing a JSON line {rps, p50, p99, requests,
// errors} after each. Rotating scenarios (by id) cycle through their bodies.
//   node load.mjs <params.json> <scenario> <peregrine|uncached|postgraphile> <url> <warmup-s> <seconds> <repeats> <connections> [headers-json]
// ("uncached" is Peregrine with its result cache off: the same requests.)
import autocannon from "autocannon";
import { goodBody, loadParams, scenarios } from "./scenarios.mjs";

const [paramsFile, name, target, url, warmup, seconds, repeats, connections, headersJson] = process.argv.slice(2);
const spec = scenarios(loadParams(paramsFile))[name]?.[target === "uncached" ? "peregrine" : target];
if (!spec) {
  console.error(`unknown scenario/target ${name}/${target}`);
  process.exit(2);
}
const headers = { "content-type": "application/json", ...(headersJson ? JSON.parse(headersJson) : {}) };
const bodies = spec.bodies;
let next = 0;

async function run(duration) {
  let bad = 0;
  let firstBad = null;
  const result = await autocannon({
    url,
    method: "POST",
    headers,
    connections: Number(connections),
    duration,
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
  const elapsed = result.duration || duration;
  return {
    rps: result.requests.total / elapsed,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: bad + result.errors + result.timeouts,
    firstError: firstBad ?? undefined,
  };
}

if (Number(warmup) > 0) await run(Number(warmup));
for (let i = 0; i < Number(repeats); i++) console.log(JSON.stringify(await run(Number(seconds))));

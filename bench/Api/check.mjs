// Sends a scenario's first request once and checks the answer: HTTP 200, data, no errors.
// Prints the number of rows it returned (run.sh compares Peregrine's with PostGraphile's); exit 1
// with the server's answer on stderr otherwise.
//   node check.mjs <params.json> <scenario> <peregrine|postgraphile> <url> [headers-json]
import { goodBody, loadParams, scenarios } from "./scenarios.mjs";

const [paramsFile, name, target, url, headersJson] = process.argv.slice(2);
const spec = scenarios(loadParams(paramsFile))[name][target];
const res = await fetch(url, {
  method: "POST",
  headers: { "content-type": "application/json", ...(headersJson ? JSON.parse(headersJson) : {}) },
  body: spec.bodies[0],
});
const text = await res.text();
if (res.status !== 200 || !goodBody(text)) {
  console.error(`${target} failed on '${name}' (HTTP ${res.status}):\n  request: ${spec.bodies[0]}\n  answer:  ${text.slice(0, 2000)}`);
  process.exit(1);
}
console.log(spec.rows(JSON.parse(text)));

// The SQL floor: turns the statement Peregrine sent for one scenario (read from the PostgreSQL log,
// which the capture instance's connections write with log_min_duration_statement=0) into pgbench
// scripts. Its $n parameters become pgbench variables, so `pgbench -M prepared` sends the same
// parameterised statement with the values Peregrine sent. For the by-id scenario that is one id:
// pgbench cannot rotate a uuid inside one script, and one script per id would make every connection
// plan every copy; the 1,000 reports' rows are all in shared buffers either way.
//   node floor.mjs <scenario> <log-segment-file> <out-dir>
// Writes <out-dir>/<scenario>.sql and <out-dir>/<scenario>.args (pgbench -D and -f arguments, one a line).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const [name, segmentFile, outDir] = process.argv.slice(2);
const text = readFileSync(segmentFile, "utf8");

// Log messages start with a timestamp; anything else continues the previous message.
const messages = [];
for (const line of text.split("\n")) {
  if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(line)) messages.push(line);
  else if (messages.length && line.length) messages[messages.length - 1] += "\n" + line;
}

let sql = null;
let values = [];
for (let i = 0; i < messages.length; i++) {
  const m = /LOG:\s+(?:duration: [\d.]+ ms\s+)?execute [^:]*: ([\s\S]*)$/.exec(messages[i]);
  if (!m || !/^\s*(SELECT|WITH)\b/i.test(m[1])) continue;
  sql = m[1].trim();
  values = [];
  const detail = messages[i + 1] && /DETAIL:\s+parameters: ([\s\S]*)$/.exec(messages[i + 1]);
  if (detail) values = parseParameters(detail[1]);
}
if (!sql) {
  console.error(`floor: no statement for '${name}' found in the PostgreSQL log`);
  process.exit(1);
}

function parseParameters(s) {
  // $1 = 'text with '' doubled', $2 = NULL, ...
  const out = [];
  const re = /\$(\d+) = (NULL|'((?:[^']|'')*)')/g;
  let m;
  while ((m = re.exec(s))) out[Number(m[1]) - 1] = m[2] === "NULL" ? null : m[3].replace(/''/g, "'");
  return out;
}

if (values.some((v) => v === null)) {
  console.error(`floor: '${name}' has a NULL parameter, which pgbench cannot send`);
  process.exit(1);
}

mkdirSync(outDir, { recursive: true });
const script = `${outDir}/${name}.sql`;
writeFileSync(script, sql.replace(/\$(\d+)\b/g, (_, n) => `:p${n}`) + ";\n");
const args = values.flatMap((v, i) => ["-D", `p${i + 1}=${v}`]).concat(["-f", script]);
writeFileSync(`${outDir}/${name}.args`, args.join("\n") + "\n");
console.error(`floor: ${name}: ${sql.length} chars, ${values.length} parameter(s)`);

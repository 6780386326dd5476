// Checks that a hand-written statement (handwritten/<scenario>.sql) returns the same JSON as the
// statement Peregrine compiled for the same request (captured by run.sh into <floor-dir>/<scenario>.sql
// and .args, with the values Peregrine sent), by asking PostgreSQL to compare both answers as jsonb
// (key order aside, arrays and values exactly). Then writes <floor-dir>/<scenario>.hand.args for pgbench.
//   node handwritten/check.mjs <scenario> <floor-dir> <database-url>
// Exit 1 when the answers differ, either is empty, or a statement fails.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [name, floorDir, dbUrl] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const params = JSON.parse(readFileSync(join(floorDir, "..", "params.json"), "utf8"));

// The compiled statement's pgbench variables, from its .args (-D pN=value lines).
const compiledArgs = readFileSync(join(floorDir, `${name}.args`), "utf8").split("\n");
const compiledVars = {};
for (let i = 0; i < compiledArgs.length; i++) {
  if (compiledArgs[i] === "-D") {
    const [k, ...v] = compiledArgs[i + 1].split("=");
    compiledVars[k] = v.join("=");
  }
}
// The hand-written statement's variables, named for what they are; byid takes the id Peregrine was sent.
const handVars = {
  feed: {},
  cell: { cell: params.cell },
  byid: { id: compiledVars.p1 },
  radius: { point: JSON.stringify(params.point), meters: "10000" },
  aggregate: {},
}[name];
if (!handVars) { console.error(`handwritten: no variables known for '${name}'`); process.exit(1); }

const strip = (sql) => sql.replace(/^\s*--.*$/gm, "").trim().replace(/;\s*$/, "");
// psql has no bind parameters on the command line: a quoted literal is what an untyped parameter is.
const inline = (sql, vars) => sql.replace(/(?<!:):([a-z]\w*)\b/g, (m, k) => {
  if (!(k in vars)) throw new Error(`variable :${k} has no value`);
  return `'${vars[k].replace(/'/g, "''")}'`;
});
const compiled = inline(strip(readFileSync(join(floorDir, `${name}.sql`), "utf8")), compiledVars);
const handFile = join(here, `${name}.sql`);
const hand = inline(strip(readFileSync(handFile, "utf8")), handVars);

const sql = `SELECT (c.v)::jsonb = (h.v)::jsonb, length(c.v::text), length(h.v::text),
  CASE json_typeof(c.v) WHEN 'array' THEN json_array_length(c.v) ELSE 1 END
FROM (${compiled}) c(v), (${hand}) h(v)`;
let out;
try {
  out = execFileSync("psql", ["-X", "-q", "-tA", "-F", " ", "-v", "ON_ERROR_STOP=1", "-c",
    "SET plan_cache_mode = force_generic_plan", "-c", sql, dbUrl], { encoding: "utf8" }).trim();
} catch (e) {
  console.error(`handwritten: ${name}: a statement failed`);
  process.exit(1);
}
const [same, clen, hlen, rows] = out.split(" ");
if (same !== "t" || Number(rows) === 0) {
  console.error(`handwritten: ${name}: answers differ (compiled ${clen} chars, hand-written ${hlen}, ${rows} rows)`);
  process.exit(1);
}
const args = Object.entries(handVars).flatMap(([k, v]) => ["-D", `${k}=${v}`]).concat(["-f", handFile]);
writeFileSync(join(floorDir, `${name}.hand.args`), args.join("\n") + "\n");
console.error(`handwritten: ${name}: same answer as the compiled statement (${rows} rows, ${clen} chars)`);

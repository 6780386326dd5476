// The abusive document shapes of issue 13 §1 (same as tests/.../Transport/Limits/AbusiveDocuments.cs), and one
// timed POST of each: node shapes.mjs <url> <shape> <bytes>  ->  one JSON line {shape, bytes, ms, status, code, message, cheapMaxMs}
const [url, shape, bytesArg] = process.argv.slice(2);
const size = Number(bytesArg);
const repeat = (head, unit, tail) => { const parts = [head]; let n = head.length; for (let i = 0; n < size; i++) { const u = unit(i); parts.push(u); n += u.length; } parts.push(tail); return parts.join(''); };
const chain = (cycle) => { const parts = ['query { ...F0 }']; let n = 15, i = 0; for (; n < size; i++) { const u = ` fragment F${i} on query_root { ...F${i + 1} __typename }`; parts.push(u); n += u.length; } parts.push(cycle ? ` fragment F${i} on query_root { ...F0 }` : ` fragment F${i} on query_root { __typename }`); return parts.join(''); };
const shapes = {
  'repeated-field': () => repeat('query { categories(limit: 1) { ', () => 'name ', '} }'),
  'repeated-typename': () => repeat('{ ', () => '__typename ', '}'),
  'distinct-aliases': () => repeat('{ ', (i) => `a${i}: __typename `, '}'),
  'deep-selection': () => repeat('{ ', () => 'categories { ', ''),
  'deep-list-value': () => '{ categories(where: {name: {_in: ' + '['.repeat(size / 2) + ']'.repeat(size / 2) + '}}) { name } }',
  'fragment-chain': () => chain(false),
  'fragment-cycle': () => chain(true),
  'many-fragments': () => { const s = [], d = []; let n = 0; for (let i = 0; n < size; i++) { s.push(`...F${i} `); d.push(` fragment F${i} on categories { name }`); n += 40; } return '{ categories(limit: 1) { ' + s.join('') + '} }' + d.join(''); },
  'fragment-bomb': () => { let q = '{ categories(limit: 1) { ...F40 } } fragment F0 on categories { name }'; for (let i = 1; i <= 40; i++) q += ` fragment F${i} on categories { ...F${i - 1} ...F${i - 1} }`; return q; },
  'huge-string': () => '{ categories(where: {name: {_eq: "' + 'x'.repeat(size) + '"}}) { name } }',
  'many-variables': () => repeat('query(', (i) => `$v${i}: String `, ') { __typename }'),
  'repeated-directives': () => repeat('{ __typename ', () => '@include(if: true) ', '}'),
  'conflicting-counts': () => repeat('{ phenom_reports_aggregate { aggregate { ', (i) => i % 2 ? 'count(distinct: true) ' : 'count(distinct: false) ', '} } }'),
};
if (!shapes[shape]) { console.error(`unknown shape ${shape}; one of ${Object.keys(shapes).join(' ')}`); process.exit(2); }
const body = JSON.stringify({ query: shapes[shape]() });
const post = (b, signal) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b, signal });
let cheapMax = 0, stop = false;
const cheap = (async () => {
  while (!stop) {
    const t = performance.now();
    try { const r = await post('{"query":"{ categories(limit: 1) { name } }"}', AbortSignal.timeout(30000)); await r.text(); } catch { cheapMax = Infinity; }
    cheapMax = Math.max(cheapMax, performance.now() - t);
    await new Promise((r) => setTimeout(r, 50));
  }
})();
const t0 = performance.now();
let out;
try {
  const r = await post(body, AbortSignal.timeout(Number(process.env.SHAPE_TIMEOUT_MS || 60000)));
  const text = await r.text();
  let code = '', message = '';
  try { const j = JSON.parse(text); code = j.errors?.[0]?.extensions?.code ?? 'data'; message = (j.errors?.[0]?.message ?? '').slice(0, 90); } catch { code = 'not-json'; message = text.slice(0, 90); }
  out = { status: r.status, code, message };
} catch (e) {
  out = { status: 0, code: e.name === 'TimeoutError' ? 'timeout' : 'connection-lost', message: String(e.cause?.code ?? e.message) };
}
const ms = performance.now() - t0;
stop = true;
await cheap;
console.log(JSON.stringify({ shape, bytes: body.length, ms: Math.round(ms), ...out, cheapMaxMs: cheapMax === Infinity ? -1 : Math.round(cheapMax) }));

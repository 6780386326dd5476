// Drives bench/Media/run.sh: see its header. Plain Node 20 (fetch, FormData), no packages.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';

const [root, mbArg, smallArg, roundsArg] = process.argv.slice(2);
const MB = Number(mbArg), SMALL = Number(smallArg), ROUNDS = Number(roundsArg);
const dll = path.join(root, 'src/Peregrine.Graph/bin/Release/net10.0/Peregrine.Graph.dll');
const work = path.join(root, '.data/bench-media');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

const freePort = () => new Promise((resolve) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
// Runs a command under /usr/bin/time without blocking the event loop: wall seconds and CPU seconds (user + system).
const timed = (cmd, args) => new Promise((resolve, reject) => {
  const started = process.hrtime.bigint();
  const child = spawn('/usr/bin/time', ['-f', '%U %S', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  child.on('error', reject);
  child.on('exit', (code) => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (code !== 0) return reject(new Error(`${cmd} exited with ${code}: ${err}`));
    const [user, sys] = err.trim().split('\n').pop().split(' ').map(Number);
    resolve({ seconds, cpu: user + sys });
  });
});
// utime + stime of a process, in seconds (clock ticks of 1/100 s).
const cpuSeconds = (pid) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };

// A throwaway database, migrated by the server binary.
const base = new URL(process.env.PEREGRINE_DATABASE_URL);
const dbName = 'peregrine_bench_media_' + crypto.randomBytes(4).toString('hex');
const psql = (sql) => execFileSync('psql', [base.toString(), '-qtAc', sql]);
psql(`CREATE DATABASE ${dbName}`);
const dbUrl = new URL(base.toString()); dbUrl.pathname = '/' + dbName;
const port = await freePort();
const env = {
  ...process.env,
  PEREGRINE_DATABASE_URL: dbUrl.toString(),
  PEREGRINE_STORAGE: 'local',
  PEREGRINE_STORAGE_PATH: path.join(work, 'storage'),
  PEREGRINE_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'),
  PEREGRINE_JWT_SECRET: JSON.stringify({ type: 'HS256', key: crypto.randomBytes(32).toString('hex') }),
  // The per-user limit (10 req/s) would cap the small-upload rate at 10/s: this measures the pipeline instead.
  PEREGRINE_MUTATIONS_PER_SECOND: '0',
  ASPNETCORE_URLS: `http://127.0.0.1:${port}`,
  Logging__LogLevel__Default: 'Warning',
};
execFileSync('dotnet', [dll, 'migrate'], { env, stdio: 'pipe' });
const server = spawn('dotnet', [dll], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const baseUrl = `http://127.0.0.1:${port}`;
const cleanup = () => { try { server.kill('SIGTERM'); } catch {} };
process.on('exit', cleanup);
for (let i = 0; ; i++) {
  try { if ((await fetch(`${baseUrl}/healthz`)).ok) break; } catch {}
  if (i > 300) throw new Error('server did not start');
  await sleep(100);
}

try {
  const signup = await (await fetch(`${baseUrl}/signup/email-password`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: 'correct horse battery staple' }),
  })).json();
  const auth = { authorization: `Bearer ${signup.session.accessToken}` };
  console.log(`clamd scanning: ${env.PEREGRINE_CLAMAV_URL ? 'on (' + env.PEREGRINE_CLAMAV_URL + ')' : 'off'}`);

  // ---- 1. one large upload vs dd
  const bytes = MB * 1024 * 1024;
  const src = path.join(work, 'source.bin');
  // An MP4 header so the file validates as video; the rest random (incompressible).
  execFileSync('bash', ['-c', `{ printf '\\x00\\x00\\x00\\x18ftypisom\\x00\\x00\\x02\\x00isomiso2'; head -c ${bytes - 24} /dev/urandom; } > '${src}'`]);
  execFileSync('cat', [src], { stdio: ['ignore', 'ignore', 'ignore'] }); // warm the page cache for both readers

  // dd and the upload alternate ROUNDS times: on a shared machine the load changes by the second, so each
  // round's ratio compares neighbours and the median round is reported. CPU seconds (dd's; the server's plus
  // curl's) are the load-independent part: the work each path costs per GB, whatever else runs.
  const rounds = [];
  let rssBefore = 0, rssPeak = 0, samples = 0, lastId = null;
  for (let round = 0; round < ROUNDS; round++) {
    const ddOut = path.join(work, 'dd.out');
    const ddRun = await timed('dd', [`if=${src}`, `of=${ddOut}`, 'bs=1M', 'conv=fsync']);
    fs.rmSync(ddOut);

    const presign = await (await fetch(`${baseUrl}/v1/files/presigned-upload`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'big.mp4', mimeType: 'video/mp4', size: bytes }),
    })).json();
    if (!presign.uploadUrl) throw new Error('presign failed: ' + JSON.stringify(presign));
    if (round === 0) rssBefore = rssPeak = rssKb(server.pid);
    let sampling = true;
    const sampler = (async () => { while (sampling) { rssPeak = Math.max(rssPeak, rssKb(server.pid)); samples++; await sleep(20); } })();
    const serverCpuBefore = cpuSeconds(server.pid);
    // curl streams the file from disk (so the client holds no copy). It runs as a child process the event loop
    // waits on, so the RSS sampler keeps sampling during the upload. The server answers only once the object is
    // on disk (fsync before the rename), as dd's conv=fsync does.
    const upRun = await timed('curl', ['-sf', '-X', 'PUT', '-T', src, '-H', 'Content-Type: video/mp4', presign.uploadUrl]);
    const serverCpu = cpuSeconds(server.pid) - serverCpuBefore;
    sampling = false; await sampler;
    rounds.push({ dd: ddRun, up: upRun, serverCpu, ratio: ddRun.seconds / upRun.seconds });
    // Earlier rounds' staged objects go, so every round writes to the same, equally full disk.
    if (lastId) await fetch(`${baseUrl}/v1/files/${lastId}`, { method: 'DELETE', headers: auth });
    lastId = presign.id;
  }
  const completeStart = process.hrtime.bigint();
  const complete = await (await fetch(`${baseUrl}/v1/files/${lastId}/complete`, { method: 'POST', headers: auth })).json();
  const completeSeconds = Number(process.hrtime.bigint() - completeStart) / 1e9;
  fs.rmSync(src);
  const median = [...rounds].sort((x, y) => x.ratio - y.ratio)[Math.floor(rounds.length / 2)];
  for (const [i, r] of rounds.entries())
    console.log(`large upload   round ${i + 1}: dd ${(MB / r.dd.seconds).toFixed(0)} MB/s, PUT ${(MB / r.up.seconds).toFixed(0)} MB/s = ${(100 * r.ratio).toFixed(0)}%`);
  console.log(`large upload   ${MB} MB (median of ${rounds.length}): dd ${(MB / median.dd.seconds).toFixed(0)} MB/s, Peregrine PUT (AES-256-GCM, fsync) ${(MB / median.up.seconds).toFixed(0)} MB/s = ${(100 * median.ratio).toFixed(0)}% of dd (target >= 70%)`);
  const perGb = (s) => (s * 1024 / MB).toFixed(2);
  console.log(`               CPU per GB: dd ${perGb(median.dd.cpu)} s; server ${perGb(median.serverCpu)} s + curl ${perGb(median.up.cpu)} s`);
  console.log(`               server RSS ${(rssBefore / 1024).toFixed(0)} MB before, peak ${(rssPeak / 1024).toFixed(0)} MB: growth ${((rssPeak - rssBefore) / 1024).toFixed(1)} MB (target <= 64 MB; ${samples} samples)`);
  console.log(`               complete (decrypt + sniff + MD5 + move${env.PEREGRINE_CLAMAV_URL ? ' + clamd' : ''} + ffmpeg frame): ${completeSeconds.toFixed(1)} s, status ${complete.status}`);

  // ---- 2. small direct uploads and thumbnail latency
  // A photo-like 1024×768 JPEG of about 100 KB: the noise level that lands nearest that size wins.
  const jpegPath = path.join(work, 'small.jpg');
  let jpeg = null;
  for (const noise of [18, 19, 20, 21, 22]) {
    execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=1024x768,noise=alls=${noise}:allf=t`,
      '-frames:v', '1', '-q:v', '5', jpegPath]);
    const candidate = fs.readFileSync(jpegPath);
    if (!jpeg || Math.abs(candidate.length - 102400) < Math.abs(jpeg.length - 102400)) jpeg = candidate;
  }
  const concurrency = 4;
  const ids = [];
  const latencies = [];
  let next = 0;
  const t0 = process.hrtime.bigint();
  const smallCpuBefore = cpuSeconds(server.pid);
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < SMALL) {
      next++;
      const form = new FormData();
      form.append('file[]', new Blob([jpeg], { type: 'image/jpeg' }), 'small.jpg');
      const started = process.hrtime.bigint();
      const r = await fetch(`${baseUrl}/v1/files`, { method: 'POST', headers: auth, body: form });
      const body = await r.json();
      if (r.status !== 201) throw new Error('upload failed: ' + JSON.stringify(body));
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      ids.push(body.processedFiles[0].id);
    }
  }));
  const smallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const smallCpuMs = (cpuSeconds(server.pid) - smallCpuBefore) * 1000 / SMALL;
  console.log(`small uploads  ${SMALL} × ${(jpeg.length / 1024).toFixed(0)} KB JPEG, ${concurrency} at a time: ${(SMALL / smallSeconds).toFixed(1)} uploads/s (validation + thumbnail), request p50 ${pct(latencies, 50).toFixed(1)} ms p99 ${pct(latencies, 99).toFixed(1)} ms, server CPU ${smallCpuMs.toFixed(1)} ms per upload`);

  const thumbs = [];
  for (const id of ids.slice(0, Math.min(ids.length, 200))) {
    const started = process.hrtime.bigint();
    const r = await fetch(`${baseUrl}/v1/files/${id}?w=256&q=80&f=webp`, { headers: auth });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error('transform failed ' + r.status);
    thumbs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  console.log(`thumbnail      256-px WebP from the ${(jpeg.length / 1024).toFixed(0)} KB JPEG (uncached transform, one at a time): p50 ${pct(thumbs, 50).toFixed(1)} ms, p99 ${pct(thumbs, 99).toFixed(1)} ms`);
} finally {
  cleanup();
  await sleep(500);
  psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  fs.rmSync(work, { recursive: true, force: true });
}

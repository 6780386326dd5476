// Drives bench/Media/run.sh: see its header. Plain Node 20 (fetch, FormData), no packages.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';

const [root, mbArg, smallArg] = process.argv.slice(2);
const MB = Number(mbArg), SMALL = Number(smallArg);
const dll = path.join(root, 'src/Peregrine.Graph/bin/Release/net10.0/Peregrine.Graph.dll');
const work = path.join(root, '.data/bench-media');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

const freePort = () => new Promise((resolve) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
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
  const ddStart = process.hrtime.bigint();
  execFileSync('dd', [`if=${src}`, `of=${path.join(work, 'dd.out')}`, 'bs=1M', 'conv=fsync'], { stdio: 'ignore' });
  const ddSeconds = Number(process.hrtime.bigint() - ddStart) / 1e9;
  fs.rmSync(path.join(work, 'dd.out'));

  const presign = await (await fetch(`${baseUrl}/v1/files/presigned-upload`, {
    method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'big.mp4', mimeType: 'video/mp4', size: bytes }),
  })).json();
  if (!presign.uploadUrl) throw new Error('presign failed: ' + JSON.stringify(presign));
  const rssBefore = rssKb(server.pid);
  let rssPeak = rssBefore, sampling = true;
  const sampler = (async () => { while (sampling) { rssPeak = Math.max(rssPeak, rssKb(server.pid)); await sleep(20); } })();
  const upStart = process.hrtime.bigint();
  // curl streams the file from disk (so the client holds no copy) and the server's write is fsynced like dd's.
  execFileSync('curl', ['-sf', '-X', 'PUT', '-T', src, '-H', `Content-Type: video/mp4`, presign.uploadUrl], { stdio: 'ignore' });
  execFileSync('sync', ['-f', path.join(work, 'storage')]);
  const upSeconds = Number(process.hrtime.bigint() - upStart) / 1e9;
  sampling = false; await sampler;
  const completeStart = process.hrtime.bigint();
  const complete = await (await fetch(`${baseUrl}/v1/files/${presign.id}/complete`, { method: 'POST', headers: auth })).json();
  const completeSeconds = Number(process.hrtime.bigint() - completeStart) / 1e9;
  fs.rmSync(src);
  const ddMBs = MB / ddSeconds, upMBs = MB / upSeconds;
  console.log(`large upload   ${MB} MB: dd ${ddMBs.toFixed(0)} MB/s, Peregrine PUT (AES-256-GCM) ${upMBs.toFixed(0)} MB/s = ${(100 * upMBs / ddMBs).toFixed(0)}% of dd (target >= 70%)`);
  console.log(`               server RSS ${(rssBefore / 1024).toFixed(0)} MB before, peak ${(rssPeak / 1024).toFixed(0)} MB: growth ${((rssPeak - rssBefore) / 1024).toFixed(1)} MB (target <= 64 MB)`);
  console.log(`               complete (decrypt + sniff + MD5 + move${env.PEREGRINE_CLAMAV_URL ? ' + clamd' : ''} + ffmpeg frame): ${completeSeconds.toFixed(1)} s, status ${complete.status}`);

  // ---- 2. small direct uploads and thumbnail latency
  const jpegPath = path.join(work, 'small.jpg');
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=640x480,noise=alls=12:allf=t',
    '-frames:v', '1', '-q:v', '6', jpegPath]);
  const jpeg = fs.readFileSync(jpegPath);
  const concurrency = 4;
  const ids = [];
  const latencies = [];
  let next = 0;
  const t0 = process.hrtime.bigint();
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
  console.log(`small uploads  ${SMALL} × ${(jpeg.length / 1024).toFixed(0)} KB JPEG, ${concurrency} at a time: ${(SMALL / smallSeconds).toFixed(1)} uploads/s (validation + thumbnail), request p50 ${pct(latencies, 50).toFixed(1)} ms p99 ${pct(latencies, 99).toFixed(1)} ms`);

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

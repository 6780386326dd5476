// One throwaway database and a real Peregrine server per test file (through the realtime tests' harness),
// adapters pointed at it, and the SQL to check what they did.
import { createRequire } from 'node:module'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createAdapter, MemorySecureStore } from '@peregrine/react-native-adapter'

const require = createRequire(import.meta.url)
export const harness = require('../../realtime/lib/harness.js')

export const JWT_SECRET = JSON.stringify({ type: 'HS256', key: 'adapter-tests-' + crypto.randomBytes(24).toString('hex') })

/** Settings the adapter tests need: sessions signed, TOTP on, files under a temp folder, limits out of the way. */
export function serverEnv(storagePath) {
  return {
    PEREGRINE_JWT_SECRET: JWT_SECRET,
    PEREGRINE_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'),
    PEREGRINE_UNAUTHORIZED_ROLE: 'anonymous',
    PEREGRINE_STORAGE: 'local',
    PEREGRINE_STORAGE_PATH: storagePath,
    PEREGRINE_AUTH_SIGNIN_PER_IP_PER_MINUTE: '1000',
    PEREGRINE_MUTATIONS_PER_SECOND: '200',
    // The shared test machine runs several suites at once; a 500 ms validation budget is a load test there.
    PEREGRINE_VALIDATION_TIMEOUT_MS: '10000',
  }
}

export async function startStack({ port } = {}) {
  const db = await harness.createDatabase()
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'peregrine-adapter-'))
  const env = serverEnv(storage)
  let server = await harness.startServer(db, { env, port })
  const stack = {
    db,
    sql: db.sql,
    get server() { return server },
    get url() { return server.http },
    adapter(options = {}) {
      const a = createAdapter({ url: server.http, secureStore: new MemorySecureStore(), ...options })
      adapters.push(a)
      return a
    },
    /** Stops the server process (an outage); restart() brings it back on the same port. */
    async stop() { await server.stop() },
    async restart() { server = await harness.startServer(db, { env, port: server.port }) },
    async close() {
      for (const a of adapters) a.close()
      await server.stop().catch(() => {})
      await db.drop()
      fs.rmSync(storage, { recursive: true, force: true })
    },
  }
  const adapters = []
  return stack
}

let counter = 0
export function newCredentials() {
  counter++
  return { email: `adapter-${Date.now()}-${process.pid}-${counter}@example.com`, password: 'correct horse battery staple' }
}

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits) from a base32 secret: the authenticator app's side. */
export function totp(secretBase32, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const ch of secretBase32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0')
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)))
  const counterBuf = Buffer.alloc(8)
  counterBuf.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)))
  const h = crypto.createHmac('sha1', key).update(counterBuf).digest()
  const o = h[h.length - 1] & 0xf
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0')
}

/**
 * A small valid MP4 (ftyp + free + mdat boxes) of `size` bytes: enough for the server's magic-byte check,
 * with random payload so no two uploads are alike.
 */
export function mp4(size) {
  const buf = Buffer.alloc(size)
  const ftyp = Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d, 0x6d, 0x70, 0x34, 0x31])
  ftyp.copy(buf, 0)
  buf.writeUInt32BE(size - 24, 24)
  buf.write('mdat', 28, 'latin1')
  crypto.randomFillSync(buf, 32)
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
}

export const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex')

/** A real, playable MP4 from ffmpeg's test source: ~5 MB for 8 s at 5 Mbit/s by default. */
export function ffmpegMp4({ seconds = 8, bitrate = '5M' } = {}) {
  const out = path.join(os.tmpdir(), `adapter-${process.pid}-${Date.now()}.mp4`)
  const { execFileSync } = require('node:child_process')
  execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25,noise=alls=80:allf=t+u',
    '-t', String(seconds), '-c:v', 'mpeg4', '-b:v', bitrate, '-pix_fmt', 'yuv420p', out])
  const bytes = fs.readFileSync(out)
  fs.rmSync(out)
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

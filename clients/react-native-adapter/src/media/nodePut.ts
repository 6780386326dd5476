import * as http from 'node:http'
import * as https from 'node:https'
import { PeregrineError, fromResponse, networkError } from '../core/errors.js'
import { byteLength, type PutTransport } from './putTransport.js'

const CHUNK = 64 * 1024

/** node:http PUT in 64 KB writes, reporting each write the socket has taken (Node's entry point). */
export const nodePut: PutTransport = async (req) => {
  const bytes = req.body instanceof Uint8Array ? req.body
    : req.body instanceof ArrayBuffer ? new Uint8Array(req.body)
    : new Uint8Array(await req.body.arrayBuffer())
  const total = byteLength(bytes)
  const url = new URL(req.url)
  const lib = url.protocol === 'https:' ? https : http
  await new Promise<void>((resolve, reject) => {
    const r = lib.request(url, { method: req.method, headers: { ...req.headers, 'content-length': String(total) }, timeout: req.timeoutMs }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const status = res.statusCode ?? 0
        if (status >= 200 && status < 300) { resolve(); return }
        const headers = new Headers()
        const ra = res.headers['retry-after']
        if (typeof ra === 'string') headers.set('retry-after', ra)
        void fromResponse(new Response(Buffer.concat(chunks), { status, headers })).then(reject)
      })
      res.on('error', (e) => reject(networkError(e)))
    })
    r.on('timeout', () => r.destroy(new PeregrineError('timeout', `upload not finished within ${req.timeoutMs} ms`, { retryable: true })))
    r.on('error', (e) => reject(e instanceof PeregrineError ? e : networkError(e)))
    let sent = 0
    const writeNext = () => {
      while (sent < total) {
        const chunk = bytes.subarray(sent, Math.min(total, sent + CHUNK))
        sent += chunk.byteLength
        const upto = sent
        const more = r.write(chunk, () => req.onProgress?.(upto, total))
        if (!more) { r.once('drain', writeNext); return }
      }
      r.end()
    }
    writeNext()
  })
}

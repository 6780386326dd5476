import { PeregrineError, fromResponse, networkError } from '../core/errors.js'
import type { UploadBody } from '../core/types.js'

export interface PutRequest {
  url: string
  method: string
  headers: Record<string, string>
  body: UploadBody
  onProgress?: (sentBytes: number, totalBytes: number) => void
  timeoutMs: number
}

/**
 * Sends an upload's bytes to its signed URL. Platforms differ in how they report progress: Node writes
 * through node:http, React Native through XMLHttpRequest's upload events; plain fetch reports at the end.
 */
export type PutTransport = (req: PutRequest) => Promise<void>

export function byteLength(body: UploadBody): number {
  return body instanceof Uint8Array ? body.byteLength : body instanceof ArrayBuffer ? body.byteLength : body.size
}

export const fetchPut = (fetchImpl: typeof fetch): PutTransport => async (req) => {
  const total = byteLength(req.body)
  let res: Response
  try {
    res = await fetchImpl(req.url, { method: req.method, headers: req.headers, body: req.body as BodyInit, signal: AbortSignal.timeout(req.timeoutMs) })
  } catch (e) {
    throw networkError(e)
  }
  if (!res.ok) throw await fromResponse(res)
  await res.arrayBuffer()
  req.onProgress?.(total, total)
}

/** XMLHttpRequest with upload progress (React Native, browsers). */
export const xhrPut = (Xhr: new () => XMLHttpRequest): PutTransport => (req) => new Promise<void>((resolve, reject) => {
  const xhr = new Xhr()
  xhr.open(req.method, req.url)
  for (const [k, v] of Object.entries(req.headers)) xhr.setRequestHeader(k, v)
  xhr.timeout = req.timeoutMs
  xhr.upload.onprogress = (e) => req.onProgress?.(e.loaded, e.total || byteLength(req.body))
  xhr.onload = () => {
    if (xhr.status >= 200 && xhr.status < 300) { resolve(); return }
    void fromResponse(new Response(xhr.responseText, { status: xhr.status, headers: { 'retry-after': xhr.getResponseHeader('retry-after') ?? '' } })).then(reject)
  }
  xhr.onerror = () => reject(networkError(new Error('upload failed')))
  xhr.ontimeout = () => reject(new PeregrineError('timeout', `upload not finished within ${req.timeoutMs} ms`, { retryable: true }))
  xhr.send(req.body as XMLHttpRequestBodyInit)
})

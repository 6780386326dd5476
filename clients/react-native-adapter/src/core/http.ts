import { PeregrineError, fromResponse, networkError } from './errors.js'

export type FetchLike = typeof fetch

/** The server's base URL and the fetch to reach it with, shared by auth, files and GraphQL. */
export class Http {
  constructor(readonly baseUrl: string, readonly fetchImpl: FetchLike, readonly timeoutMs: number) {}

  url(path: string): string {
    return this.baseUrl + path
  }

  /** fetch with a timeout; a failure without an answer becomes a retryable network-error. */
  async send(path: string, init: RequestInit): Promise<Response> {
    const signal = AbortSignal.timeout(this.timeoutMs)
    try {
      return await this.fetchImpl(path.startsWith('http') ? path : this.url(path), { ...init, signal })
    } catch (e) {
      if (signal.aborted) throw new PeregrineError('timeout', `no answer from ${path} within ${this.timeoutMs} ms`, { retryable: true, cause: e })
      throw networkError(e)
    }
  }

  /** POST a JSON body; the JSON answer, or the server's error as a PeregrineError. */
  async postJson<T>(path: string, body: unknown, accessToken?: string | null): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (accessToken) headers.authorization = `Bearer ${accessToken}`
    const res = await this.send(path, { method: 'POST', headers, body: JSON.stringify(body ?? {}) })
    if (!res.ok) throw await fromResponse(res)
    const text = await res.text()
    try {
      return JSON.parse(text) as T
    } catch {
      throw new PeregrineError('invalid-response', `${path} answered ${res.status} with a body that is not JSON`, { status: res.status })
    }
  }
}

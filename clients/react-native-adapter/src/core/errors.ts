// One error type for everything the adapter throws: Hasura's GraphQL codes, Nhost's auth/files error
// bodies and transport failures, each marked retryable or not (only retryable ones are retried).

/** GraphQL/HTTP codes a later attempt may get past: the server or the network, not the request, was at fault. */
const RETRYABLE_CODES = new Set(['network-error', 'timeout', 'too-many-requests', 'unexpected', 'postgres-error',
  'scanner-unavailable', 'service-unavailable', 'internal-server-error', 'bad-gateway'])

export class PeregrineError extends Error {
  readonly code: string
  readonly retryable: boolean
  /** HTTP status when there was an answer */
  readonly status?: number
  /** Retry-After, in milliseconds, when the server sent one */
  readonly retryAfterMs?: number
  /** the GraphQL error's extensions.path */
  readonly path?: string

  constructor(code: string, message: string, opts: { retryable?: boolean; status?: number; retryAfterMs?: number; path?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'PeregrineError'
    this.code = code
    this.status = opts.status
    this.retryAfterMs = opts.retryAfterMs
    this.path = opts.path
    this.retryable = opts.retryable ?? (RETRYABLE_CODES.has(code) || isRetryableStatus(opts.status))
  }
}

export function isRetryableStatus(status: number | undefined): boolean {
  return status === 408 || status === 429 || status === 502 || status === 503 || status === 504
}

/** A request that never got an HTTP answer (refused, reset, DNS, aborted by timeout). */
export function networkError(cause: unknown): PeregrineError {
  const message = cause instanceof Error ? cause.message : String(cause)
  return new PeregrineError('network-error', `network error: ${message}`, { retryable: true, cause })
}

export function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 3600) * 1000
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

/** A non-2xx answer of the auth or files API: `{status, message, error}` (auth) or `{error, message}` (files). */
export async function fromResponse(res: Response): Promise<PeregrineError> {
  let code = `http-${res.status}`
  let message = res.statusText || `HTTP ${res.status}`
  try {
    const text = await res.text()
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; errors?: Array<{ message?: string; extensions?: { code?: string } }> }
    if (typeof body.error === 'string') code = body.error
    if (typeof body.message === 'string') message = body.message
    const first = Array.isArray(body.errors) ? body.errors[0] : undefined
    if (first?.extensions?.code) code = first.extensions.code
    if (first?.message) message = first.message
  } catch {
    // not JSON: keep the status line
  }
  return new PeregrineError(code, message, { status: res.status, retryAfterMs: retryAfter(res.headers.get('retry-after')) })
}

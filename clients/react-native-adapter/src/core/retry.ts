import { PeregrineError, networkError } from './errors.js'

export interface RetryPolicy {
  /** attempts in all, the first included (default 4) */
  attempts: number
  /** first delay; each next one doubles (default 250 ms) */
  baseDelayMs: number
  /** ceiling of one delay (default 10 s) */
  maxDelayMs: number
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 10_000 }

/**
 * "Full jitter" exponential backoff: a random delay in [0, min(max, base·2^n)], so many clients that failed
 * together (a server restart) do not come back together. A server's Retry-After is a floor.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, error?: PeregrineError, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
  const jittered = Math.floor(random() * ceiling)
  return Math.max(jittered, Math.min(error?.retryAfterMs ?? 0, policy.maxDelayMs))
}

export const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (signal?.aborted) { reject(signal.reason); return }
  const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve() }, ms)
  const onAbort = () => { clearTimeout(t); reject(signal!.reason) }
  signal?.addEventListener('abort', onAbort, { once: true })
})

export function asPeregrineError(e: unknown): PeregrineError {
  return e instanceof PeregrineError ? e : networkError(e)
}

/** Runs fn again after a jittered backoff while it fails with a retryable PeregrineError. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy = defaultRetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (e) {
      const err = asPeregrineError(e)
      if (!err.retryable || attempt + 1 >= policy.attempts) throw err
      await sleep(backoffDelay(policy, attempt, err))
    }
  }
}

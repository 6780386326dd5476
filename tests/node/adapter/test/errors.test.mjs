// PeregrineError and the retry policy, without a server: what is retried, how long it waits.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { PeregrineError, backoffDelay, withRetry, createAdapter } from '@peregrine/react-native-adapter'

const policy = { attempts: 4, baseDelayMs: 10, maxDelayMs: 40 }

describe('errors and retries', () => {
  test('retryable follows the code and the HTTP status', () => {
    assert.equal(new PeregrineError('network-error', 'x').retryable, true)
    assert.equal(new PeregrineError('too-many-requests', 'x', { status: 429 }).retryable, true)
    assert.equal(new PeregrineError('http-503', 'x', { status: 503 }).retryable, true)
    assert.equal(new PeregrineError('validation-failed', 'x', { status: 200 }).retryable, false)
    assert.equal(new PeregrineError('constraint-violation', 'x').retryable, false)
    assert.equal(new PeregrineError('invalid-file', 'x', { status: 422 }).retryable, false)
  })

  test('backoff is jittered within an exponentially growing, capped ceiling; Retry-After is a floor', () => {
    for (let attempt = 0; attempt < 6; attempt++) {
      const ceiling = Math.min(40, 10 * 2 ** attempt)
      const delays = Array.from({ length: 200 }, () => backoffDelay(policy, attempt))
      assert.ok(delays.every((d) => d >= 0 && d < ceiling))
      if (ceiling >= 20) assert.ok(new Set(delays).size > 5, 'jittered, not fixed')
    }
    assert.equal(backoffDelay(policy, 0, new PeregrineError('too-many-requests', 'x', { retryAfterMs: 30 }), () => 0), 30)
  })

  test('withRetry retries retryable failures only, up to the attempt limit', async () => {
    let calls = 0
    await assert.rejects(withRetry(async () => { calls++; throw new PeregrineError('network-error', 'down') }, policy),
      (e) => e.code === 'network-error')
    assert.equal(calls, 4)
    calls = 0
    await assert.rejects(withRetry(async () => { calls++; throw new PeregrineError('validation-failed', 'bad') }, policy))
    assert.equal(calls, 1)
    calls = 0
    assert.equal(await withRetry(async () => { if (++calls < 3) throw new PeregrineError('timeout', 'slow'); return 'ok' }, policy), 'ok')
    assert.equal(calls, 3)
  })

  test('a server that is not there is a retryable network-error after the retries', async () => {
    const api = createAdapter({ url: 'http://127.0.0.1:9', retry: { attempts: 2, baseDelayMs: 5 } })
    await assert.rejects(api.getPhenoms(1), (e) => e instanceof PeregrineError && e.code === 'network-error' && e.retryable)
    api.close()
  })
})

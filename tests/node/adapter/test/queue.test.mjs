// The offline upload queue: recordings made while the server is down wait in the QueueStore and arrive
// exactly once when it is back; an attempt whose answer is lost is not repeated as a second report.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { MemoryQueueStore } from '@peregrine/react-native-adapter'
import { harness, mp4, newCredentials, startStack } from '../lib/setup.mjs'

let stack

before(async () => { stack = await startStack() })
after(async () => { await stack?.close() })

const recording = (n) => ({
  media: [{ body: mp4(32 * 1024 + n), mimeType: 'video/mp4', name: `clip-${n}.mp4` }],
  location: { latitude: 40 + n / 100, longitude: -73.98 },
  timestamp: new Date(Date.now() - n * 1000),
  description: `queued recording ${n}`,
  categories: ['queue-test'],
})

async function reportsOf(userId) {
  const { rows } = await stack.sql(`
    SELECT r.id, r.description, count(m.*)::int AS media
    FROM phenom_reports r LEFT JOIN phenom_media m ON m.report_id = r.id
    WHERE r.user_id = $1 GROUP BY r.id, r.description ORDER BY r.description`, [userId])
  return rows
}

describe('offline upload queue', () => {
  test('recordings made during an outage arrive exactly once after the server comes back', async () => {
    const queueStore = new MemoryQueueStore()
    const api = stack.adapter({ queueStore, queueRetry: { baseDelayMs: 200, maxDelayMs: 2000 }, requestTimeoutMs: 5000 })
    const me = (await api.auth.signUp(newCredentials())).userId
    const events = []
    api.uploads.onEvent((e) => events.push(e))

    const first = await api.uploadRecording(recording(0))
    assert.equal((await reportsOf(me)).length, 1)

    await stack.stop()
    const queued = []
    for (let n = 1; n <= 4; n++) queued.push(await api.uploadRecording(recording(n)))
    assert.equal(new Set([first, ...queued]).size, 5, 'each recording has its own report id')
    assert.deepEqual((await api.uploads.pending()).map((e) => e.id).sort(), [...queued].sort())
    assert.ok(events.some((e) => e.type === 'queued' && e.error.retryable))
    // Let a few backoff rounds fail against the stopped server.
    await harness.sleep(3000)
    assert.equal((await api.uploads.pending()).length, 4)

    await stack.restart()
    await harness.waitFor('the queue to drain', async () => (await api.uploads.pending()).length === 0, 90_000)

    const rows = await reportsOf(me)
    assert.deepEqual(rows.map((r) => r.description), [0, 1, 2, 3, 4].map((n) => `queued recording ${n}`))
    assert.deepEqual(rows.map((r) => r.id).sort(), [first, ...queued].sort())
    assert.ok(rows.every((r) => r.media === 1))
    const { rows: [{ n }] } = await stack.sql(
      "SELECT count(*)::int AS n FROM files WHERE uploaded_by_user_id = $1 AND status = 'valid'", [me])
    assert.equal(n, 5, 'one valid file per recording')
    for (const id of queued) assert.ok(events.some((e) => e.type === 'uploaded' && e.id === id))
  })

  test('an attempt whose answer is lost is retried without a second report (the report id is the idempotency key)', async () => {
    let dropped = 0
    // The insert reaches the server and commits, but the phone never hears back (the network drops).
    const lossyFetch = async (input, init) => {
      const res = await fetch(input, init)
      const body = typeof init?.body === 'string' ? init.body : ''
      if (dropped === 0 && body.includes('CreatePhenomReport')) {
        dropped++
        await res.arrayBuffer()
        throw new TypeError('fetch failed: connection reset')
      }
      return res
    }
    const api = stack.adapter({ fetch: lossyFetch, queueRetry: { baseDelayMs: 100, maxDelayMs: 500 }, retry: { attempts: 1 } })
    const me = (await api.auth.signUp(newCredentials())).userId
    const events = []
    api.uploads.onEvent((e) => events.push(e))
    const id = await api.uploadRecording(recording(7))
    assert.equal(dropped, 1)
    assert.deepEqual(events.map((e) => e.type), ['queued'])
    await harness.waitFor('the queue to drain', async () => (await api.uploads.pending()).length === 0, 30_000)
      .catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify((await api.uploads.pending()).map((p) => p.lastError))}`) })
    const rows = await reportsOf(me)
    assert.deepEqual(rows.map((r) => r.id), [id])
    const { rows: [{ n }] } = await stack.sql('SELECT count(*)::int AS n FROM phenom_media WHERE report_id = $1', [id])
    assert.equal(n, 1)
    // The retry met the earlier insert (phenom_reports_pkey) and counted it as this upload's success.
    assert.deepEqual(events.map((e) => e.type), ['queued', 'uploaded'])
  })

  test('uploads queued while signed out of a session wait for the next sign-in', async () => {
    const c = newCredentials()
    const api = stack.adapter({ queueRetry: { baseDelayMs: 100, maxDelayMs: 500 } })
    const me = (await api.auth.signUp(c)).userId
    await stack.stop()
    const id = await api.uploadRecording(recording(9))
    await stack.restart()
    // The user signs out before the queue drained, then back in: the upload resumes under the new session.
    await api.auth.signOut()
    await api.auth.signIn(c)
    await harness.waitFor('the queue to drain', async () => (await api.uploads.pending()).length === 0, 30_000)
    assert.deepEqual((await reportsOf(me)).map((r) => r.id), [id])
  })
})

// The live feed: a report inserted by another client arrives through subscribeToNewPhenoms, and keeps
// arriving after the server goes away and comes back (graphql-ws reconnects and subscribes again).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mp4, newCredentials, startStack, harness } from '../lib/setup.mjs'

let stack

before(async () => { stack = await startStack() })
after(async () => { await stack?.close() })

async function insertAsOtherClient(description) {
  const other = stack.adapter()
  await other.auth.signUp(newCredentials())
  return other.uploadRecording({
    media: [{ body: mp4(8 * 1024), mimeType: 'video/mp4' }],
    location: { latitude: 48.85, longitude: 2.35 },
    description,
  })
}

describe('subscribeToNewPhenoms', () => {
  test('receives a report another client inserts, once, and nothing after unsubscribing', async () => {
    const viewer = stack.adapter()
    await viewer.auth.signUp(newCredentials())
    const box = harness.inbox()
    const errors = []
    let live
    const isLive = new Promise((r) => { live = r })
    const unsubscribe = viewer.subscribeToNewPhenoms((item) => box.push(item), { onError: (e) => errors.push(e), onLive: live })
    await isLive
    // The baseline (the newest ten already there) is not news.
    assert.ok(await box.quiet(1500), 'no existing report is announced')

    const id = await insertAsOtherClient('live one')
    const item = await box.next(15000)
    assert.equal(item.id, id)
    assert.ok(item.timestamp instanceof Date && item.location && Math.abs(item.location.latitude - 48.85) < 1e-9)
    const { rows } = await stack.sql('SELECT id FROM phenom_reports WHERE id = $1', [item.id])
    assert.equal(rows.length, 1)
    assert.ok(await box.quiet(1500), 'announced once')

    unsubscribe()
    await insertAsOtherClient('after unsubscribe')
    assert.ok(await box.quiet(2500), 'nothing after unsubscribe')
    assert.deepEqual(errors, [])
  })

  test('reconnects and resubscribes after a server restart, then delivers new reports', async () => {
    const viewer = stack.adapter()
    const box = harness.inbox()
    const errors = []
    let live
    const isLive = new Promise((r) => { live = r })
    viewer.subscribeToNewPhenoms((item) => box.push(item), { onError: (e) => errors.push(e), onLive: live })
    await isLive
    // Signing in after subscribing reconnects with the new token; the subscription carries on.
    await viewer.auth.signUp(newCredentials())
    const before = await insertAsOtherClient('before the outage')
    assert.equal((await box.next(15000)).id, before, 'delivered before the outage')

    await stack.stop()
    await harness.sleep(1000)
    await stack.restart()

    const afterId = await insertAsOtherClient('after the outage')
    // Reports made while the viewer was away or reconnecting arrive too, each once.
    const seen = []
    while (!seen.includes(afterId)) {
      const next = await box.next(30000).catch((e) => { throw new Error(`${e.message}; errors: ${errors.map(String)}; seen ${seen}`) })
      seen.push(next.id)
    }
    assert.equal(new Set(seen).size, seen.length)
    assert.ok(!seen.includes(before), 'the report seen before the outage is not announced again')
  })
})

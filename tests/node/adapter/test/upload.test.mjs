// uploadRecording with a real 5 MB MP4: presign → PUT with progress → complete → report, and the media
// the report names downloads byte for byte.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ffmpegMp4, newCredentials, sha256, startStack } from '../lib/setup.mjs'

let stack

before(async () => { stack = await startStack() })
after(async () => { await stack?.close() })

describe('uploadRecording', () => {
  test('a 5 MB MP4 ends in a report whose media downloads intact', async () => {
    const video = ffmpegMp4()
    assert.ok(video.byteLength > 4_000_000, `${video.byteLength} bytes`)
    const api = stack.adapter({ requestTimeoutMs: 120_000 })
    const me = (await api.auth.signUp(newCredentials())).userId
    const progress = []
    const id = await api.uploadRecording({
      media: [{ body: video, mimeType: 'video/mp4', name: 'sighting.mp4' }],
      location: { latitude: 40.7484, longitude: -73.9857 },
      description: 'Three lights in a triangle over Midtown',
      categories: ['lights'],
      onProgress: (p) => progress.push(p),
    })

    // Progress: from the PUT's writes, increasing, ending at the whole file.
    assert.ok(progress.length >= 10, `${progress.length} progress events`)
    assert.ok(progress.every((p, k) => p.file === 0 && p.totalBytes === video.byteLength && (k === 0 || p.sentBytes >= progress[k - 1].sentBytes)))
    assert.equal(progress.at(-1).sentBytes, video.byteLength)

    const { rows } = await stack.sql(`
      SELECT r.user_id, m.url, m.type, m.file_id, f.size, f.mime_type, f.status
      FROM phenom_reports r JOIN phenom_media m ON m.report_id = r.id JOIN files f ON f.id = m.file_id WHERE r.id = $1`, [id])
    assert.equal(rows.length, 1)
    const row = rows[0]
    assert.deepEqual({ user: row.user_id, type: row.type, size: row.size, mime: row.mime_type, status: row.status },
      { user: me, type: 'video', size: String(video.byteLength), mime: 'video/mp4', status: 'valid' })

    const item = await api.getPhenom(id)
    assert.equal(item.media.length, 1)
    assert.equal(item.media[0].url, row.url)
    const res = await fetch(item.media[0].url, { headers: { authorization: `Bearer ${await api.auth.accessToken()}` } })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'video/mp4')
    const downloaded = new Uint8Array(await res.arrayBuffer())
    assert.equal(downloaded.byteLength, video.byteLength)
    assert.equal(sha256(downloaded), sha256(video))
  })
})

// Every IAPIAdapter method against the seeded database, each answer compared with SQL.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { PeregrineError } from '@peregrine/react-native-adapter'
import { mp4, newCredentials, startStack } from '../lib/setup.mjs'

let stack, api, me

before(async () => {
  stack = await startStack()
  api = stack.adapter()
  const s = await api.auth.signUp(newCredentials())
  me = s.userId
})
after(async () => { await stack?.close() })

const REPORT_SQL = `
  SELECT r.id, r.description, r.timestamp, r.h3_index, r.user_id, ST_X(r.location::geometry) AS lng, ST_Y(r.location::geometry) AS lat,
    COALESCE((SELECT json_agg(json_build_object('url', m.url, 'type', m.type, 'thumbnail_url', m.thumbnail_url) ORDER BY m.url)
              FROM phenom_media m WHERE m.report_id = r.id), '[]') AS media,
    COALESCE((SELECT json_agg(c.name ORDER BY c.name) FROM phenom_report_categories rc JOIN categories c ON c.id = rc.category_id
              WHERE rc.report_id = r.id), '[]') AS categories
  FROM phenom_reports r`

/** Checks one adapter item field by field against its row. */
function assertSameReport(item, row) {
  assert.equal(item.id, row.id)
  assert.equal(item.description, row.description)
  assert.equal(item.timestamp.getTime(), row.timestamp.getTime())
  assert.equal(item.h3Index, row.h3_index)
  assert.equal(item.user?.id ?? null, row.user_id)
  assert.ok(Math.abs(item.location.latitude - row.lat) < 1e-9 && Math.abs(item.location.longitude - row.lng) < 1e-9, 'location')
  assert.deepEqual(item.media.map((m) => ({ url: m.url, type: m.type, thumbnail_url: m.thumbnailUrl })).sort((a, b) => a.url.localeCompare(b.url)), row.media)
  assert.deepEqual(item.categories.map((c) => c.name).sort(), row.categories)
}

describe('IAPIAdapter methods against seeded data', () => {
  test('getPhenoms(size) is the newest `size` reports, as SQL orders them', async () => {
    const items = await api.getPhenoms(15)
    const { rows } = await stack.sql(`${REPORT_SQL} ORDER BY r.timestamp DESC LIMIT 15`)
    assert.equal(items.length, 15)
    assert.deepEqual(items.map((i) => i.id), rows.map((r) => r.id))
    items.forEach((item, k) => assertSameReport(item, rows[k]))
    assert.ok(rows.some((r) => r.media.length > 0) && rows.some((r) => r.categories.length > 0), 'the seed gives media and categories to compare')
  })

  test('getPhenoms() defaults to 20; getPhenoms(size, since) only returns reports after since', async () => {
    assert.equal((await api.getPhenoms()).length, 20)
    const { rows: [mid] } = await stack.sql('SELECT timestamp FROM phenom_reports ORDER BY timestamp DESC OFFSET 12 LIMIT 1')
    const items = await api.getPhenoms(100, mid.timestamp)
    const { rows } = await stack.sql(`${REPORT_SQL} WHERE r.timestamp > $1 ORDER BY r.timestamp DESC`, [mid.timestamp])
    assert.equal(rows.length, 12)
    assert.deepEqual(items.map((i) => i.id), rows.map((r) => r.id))
    items.forEach((item, k) => assertSameReport(item, rows[k]))
  })

  test('getPhenom(id) is that report; an unknown id is a not-found PeregrineError', async () => {
    const { rows } = await stack.sql(`${REPORT_SQL} WHERE EXISTS (SELECT 1 FROM phenom_media m WHERE m.report_id = r.id) LIMIT 3`)
    for (const row of rows) assertSameReport(await api.getPhenom(row.id), row)
    await assert.rejects(api.getPhenom('00000000-0000-4000-8000-000000000000'),
      (e) => e instanceof PeregrineError && e.code === 'not-found' && e.retryable === false)
    await assert.rejects(api.getPhenom('not-a-uuid'), (e) => e instanceof PeregrineError && !e.retryable && e.code !== 'network-error')
  })

  test('getPhenomByH3Cell(cell) is every report in that cell', async () => {
    const { rows: [{ h3_index: cell }] } = await stack.sql(
      'SELECT h3_index FROM phenom_reports GROUP BY h3_index ORDER BY count(*) DESC, h3_index LIMIT 1')
    const items = await api.getPhenomByH3Cell(cell)
    const { rows } = await stack.sql(`${REPORT_SQL} WHERE r.h3_index = $1 ORDER BY r.timestamp DESC`, [cell])
    assert.ok(rows.length >= 1)
    assert.deepEqual(items.map((i) => i.id), rows.map((r) => r.id))
    items.forEach((item, k) => assertSameReport(item, rows[k]))
    assert.deepEqual(await api.getPhenomByH3Cell('8f2830828052d25'), [])
  })

  test('search(query) returns the reports whose description or category matches, as PostgreSQL full-text search says', async () => {
    const { rows: [{ word }] } = await stack.sql(`
      SELECT w.word FROM phenom_reports r, regexp_split_to_table(lower(r.description), '[^a-z]+') AS w(word)
      WHERE length(w.word) > 6 GROUP BY w.word HAVING count(DISTINCT r.id) BETWEEN 2 AND 30 ORDER BY count(DISTINCT r.id) DESC, w.word LIMIT 1`)
    const items = await api.search(word)
    const { rows } = await stack.sql(`
      SELECT r.id FROM phenom_reports r
      WHERE to_tsvector('english', COALESCE(r.description, '')) @@ websearch_to_tsquery('english', $1)
         OR EXISTS (SELECT 1 FROM phenom_report_categories rc JOIN categories c ON c.id = rc.category_id
                    WHERE rc.report_id = r.id AND to_tsvector('english', COALESCE(c.name, '')) @@ websearch_to_tsquery('english', $1))`, [word])
    assert.ok(rows.length >= 2, `the word "${word}" is in several reports`)
    assert.deepEqual(items.map((i) => i.id).sort(), rows.map((r) => r.id).sort())
    assert.deepEqual(await api.search('   '), [])
    assert.deepEqual(await api.search('zzqxjvnonexistentword'), [])
  })

  test('getUserProfile(userId) is the user\'s profile JSON and report count', async () => {
    const { rows: [u] } = await stack.sql(`
      SELECT u.id, u.profile, (SELECT count(*)::int FROM phenom_reports r WHERE r.user_id = u.id) AS n
      FROM users u WHERE EXISTS (SELECT 1 FROM phenom_reports r WHERE r.user_id = u.id) ORDER BY u.id LIMIT 1`)
    const p = await api.getUserProfile(u.id)
    assert.deepEqual(p, { id: u.id, profile: u.profile, reportCount: u.n })
    assert.ok(u.n > 0)
    await assert.rejects(api.getUserProfile('00000000-0000-4000-8000-000000000000'), (e) => e instanceof PeregrineError && e.code === 'not-found')
  })

  test('updateUserProfile(profile) writes the own profile; another user\'s is refused and left unchanged', async () => {
    const profile = { displayName: 'Ada "the watcher"', bio: 'Sees lights ✨', settings: { units: 'metric' } }
    await api.updateUserProfile({ id: me, profile })
    const { rows: [row] } = await stack.sql('SELECT profile FROM users WHERE id = $1', [me])
    assert.deepEqual(row.profile, profile)
    assert.deepEqual((await api.getUserProfile(me)).profile, profile)

    const { rows: [other] } = await stack.sql('SELECT id, profile FROM users WHERE id <> $1 ORDER BY id LIMIT 1', [me])
    await assert.rejects(api.updateUserProfile({ id: other.id, profile: { displayName: 'hijacked' } }),
      (e) => e instanceof PeregrineError && e.code === 'permission-error' && !e.retryable)
    const { rows: [after] } = await stack.sql('SELECT profile FROM users WHERE id = $1', [other.id])
    assert.deepEqual(after.profile, other.profile)
  })

  test('uploadRecording(recording) creates one report with its media file and categories', async () => {
    const { rows: [existing] } = await stack.sql('SELECT name FROM categories ORDER BY name LIMIT 1')
    const newCategory = 'adapter-test-' + Date.now()
    const at = new Date(Date.now() - 60_000)
    const id = await api.uploadRecording({
      media: [{ body: mp4(64 * 1024), mimeType: 'video/mp4', name: 'clip.mp4' }],
      location: { latitude: 52.52, longitude: 13.405 },
      timestamp: at,
      description: 'A slow orange light over the river',
      categories: [existing.name, { name: newCategory, icon: 'star' }],
    })
    const { rows } = await stack.sql(`${REPORT_SQL} WHERE r.id = $1`, [id])
    assert.equal(rows.length, 1)
    const row = rows[0]
    assert.equal(row.user_id, me)
    assert.equal(row.timestamp.getTime(), at.getTime())
    assert.ok(Math.abs(row.lat - 52.52) < 1e-9 && Math.abs(row.lng - 13.405) < 1e-9)
    assert.ok(row.h3_index, 'the server filled h3_index')
    assert.deepEqual(row.categories, [existing.name, newCategory].sort())
    const { rows: media } = await stack.sql(
      'SELECT m.type, f.status, f.uploaded_by_user_id, f.size FROM phenom_media m JOIN files f ON f.id = m.file_id WHERE m.report_id = $1', [id])
    assert.deepEqual(media, [{ type: 'video', status: 'valid', uploaded_by_user_id: me, size: String(64 * 1024) }])
    assertSameReport(await api.getPhenom(id), row)
    const { rows: [{ n }] } = await stack.sql('SELECT count(*)::int AS n FROM categories WHERE name = $1', [existing.name])
    assert.equal(n, 1, 'an existing category is linked, not duplicated')
  })

  test('a file whose bytes are not what it declares fails with a non-retryable PeregrineError and leaves no report', async () => {
    const events = []
    const off = api.uploads.onEvent((e) => events.push(e))
    const { rows: [{ n: before }] } = await stack.sql('SELECT count(*)::int AS n FROM phenom_reports WHERE user_id = $1', [me])
    await assert.rejects(api.uploadRecording({
      media: [{ body: new TextEncoder().encode('#!/bin/sh\necho not a video\n'), mimeType: 'video/mp4' }],
      location: { latitude: 1, longitude: 2 },
    }), (e) => e instanceof PeregrineError && e.code === 'invalid-file' && e.retryable === false && e.status === 422)
    off()
    const { rows: [{ n: afterCount }] } = await stack.sql('SELECT count(*)::int AS n FROM phenom_reports WHERE user_id = $1', [me])
    assert.equal(afterCount, before)
    assert.deepEqual(await api.uploads.pending(), [])
    assert.equal(events.at(-1)?.type, 'failed')
  })

  test('signed out, reads work as the anonymous role and uploads are refused', async () => {
    const anon = stack.adapter()
    assert.equal(await anon.auth.session(), null)
    assert.equal((await anon.getPhenoms(3)).length, 3)
    await assert.rejects(anon.uploadRecording({ media: [{ body: mp4(1024), mimeType: 'video/mp4' }], location: { latitude: 0, longitude: 0 } }),
      (e) => e instanceof PeregrineError && e.code === 'access-denied' && !e.retryable)
    assert.deepEqual(await anon.uploads.pending(), [])
  })
})

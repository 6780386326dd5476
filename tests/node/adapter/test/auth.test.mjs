// Sessions: sign-up and sign-in under concurrency, the TOTP step, single-flight refresh, a rotated-out
// refresh token signing out cleanly, and tokens kept in (and restored from) the SecureStore.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { MemorySecureStore, PeregrineError } from '@peregrine/react-native-adapter'
import { newCredentials, startStack, totp } from '../lib/setup.mjs'

let stack

before(async () => { stack = await startStack() })
after(async () => { await stack?.close() })

/** A fetch that counts the requests to each path, for the single-flight checks. */
function countingFetch() {
  const counts = new Map()
  const f = (input, init) => {
    const p = new URL(typeof input === 'string' ? input : input.url).pathname
    counts.set(p, (counts.get(p) ?? 0) + 1)
    return fetch(input, init)
  }
  f.count = (p) => counts.get(p) ?? 0
  return f
}

describe('sessions', () => {
  test('ten concurrent sign-ups make ten users, each signed in as itself (checked in SQL)', async () => {
    const creds = Array.from({ length: 10 }, () => newCredentials())
    // Ten Argon2 hashes at once on a loaded machine: give each request time.
    const apis = creds.map(() => stack.adapter({ requestTimeoutMs: 120_000 }))
    const sessions = await Promise.all(apis.map((a, k) => a.auth.signUp(creds[k])))
    const { rows } = await stack.sql('SELECT id, email FROM users WHERE email = ANY($1)', [creds.map((c) => c.email)])
    assert.equal(rows.length, 10)
    for (const [k, s] of sessions.entries()) {
      const row = rows.find((r) => r.email === creds[k].email)
      assert.equal(s.userId, row.id)
      assert.equal(s.email, creds[k].email)
      assert.equal(s.defaultRole, 'user')
      assert.ok(s.roles.includes('user'))
      assert.deepEqual(await apis[k].auth.session(), s)
    }
    // Each adapter's own session writes to its own row only.
    await Promise.all(apis.map((a, k) => a.updateUserProfile({ id: sessions[k].userId, profile: { n: k } })))
    const { rows: profiles } = await stack.sql('SELECT email, profile FROM users WHERE email = ANY($1)', [creds.map((c) => c.email)])
    for (const p of profiles) assert.deepEqual(p.profile, { n: creds.findIndex((c) => c.email === p.email) })
  })

  test('ten concurrent sign-ins (ten accounts, one address) all succeed; a wrong password is a typed, non-retryable error', async () => {
    // One account signing in ten times at once is refused past five in flight by the server's guessing limit
    // (attempts are counted when they start and given back when right): ten accounts here.
    const creds = Array.from({ length: 10 }, () => newCredentials())
    const signups = creds.map(() => stack.adapter({ requestTimeoutMs: 120_000 }))
    for (const [k, c] of creds.entries()) await signups[k].auth.signUp(c)
    const apis = creds.map(() => stack.adapter({ requestTimeoutMs: 120_000 }))
    const results = await Promise.all(apis.map((a, k) => a.auth.signIn(creds[k])))
    assert.ok(results.every((r) => r.status === 'signed-in'))
    const { rows } = await stack.sql(`
      SELECT u.email, u.id, count(t.*)::int AS n FROM users u JOIN auth_refresh_tokens t ON t.user_id = u.id
      WHERE u.email = ANY($1) GROUP BY u.email, u.id`, [creds.map((c) => c.email)])
    for (const [k, r] of results.entries()) {
      const row = rows.find((x) => x.email === creds[k].email)
      assert.equal(r.session.userId, row.id)
      assert.equal(row.n, 2, 'a refresh token for the sign-up and one for the sign-in')
    }
    const c = creds[0]
    await assert.rejects(stack.adapter().auth.signIn({ email: c.email, password: 'wrong password!' }),
      (e) => e instanceof PeregrineError && e.code === 'invalid-email-password' && e.status === 401 && !e.retryable)
    await assert.rejects(stack.adapter().auth.signUp(c), (e) => e instanceof PeregrineError && e.code === 'email-already-in-use' && !e.retryable)
  })

  test('a token due for refresh is refreshed once for ten concurrent calls (single-flight)', async () => {
    const fetchCounter = countingFetch()
    // A margin longer than the token's 15 minutes: every call finds the token due.
    const api = stack.adapter({ fetch: fetchCounter, refreshMarginMs: 3_600_000 })
    const s = await api.auth.signUp(newCredentials())
    const { rows: [{ n: before }] } = await stack.sql('SELECT count(*)::int AS n FROM auth_refresh_tokens WHERE user_id = $1', [s.userId])

    const results = await Promise.all(Array.from({ length: 10 }, () => api.getPhenoms(2)))
    assert.ok(results.every((r) => r.length === 2))
    assert.equal(fetchCounter.count('/token'), 1)
    const { rows: [{ n: afterCount }] } = await stack.sql('SELECT count(*)::int AS n FROM auth_refresh_tokens WHERE user_id = $1', [s.userId])
    assert.equal(afterCount, before + 1, 'one rotation on the server')
    assert.equal((await api.auth.session()).userId, s.userId)
  })

  test('a rotated-out refresh token signs the user out cleanly', async () => {
    const store = new MemorySecureStore()
    const api = stack.adapter({ secureStore: store, refreshMarginMs: 3_600_000 })
    const changes = []
    api.auth.onSessionChange((s) => changes.push(s))
    await api.auth.signUp(newCredentials())
    // Another holder of the same tokens (a restored backup, a thief) refreshes first: ours is rotated out.
    const { refreshToken } = JSON.parse(await store.getItem('peregrine.session'))
    const r = await fetch(`${stack.url}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) })
    assert.equal(r.status, 200)

    await assert.rejects(api.getPhenoms(1), (e) => e instanceof PeregrineError && e.code === 'session-expired' && !e.retryable)
    assert.equal(await api.auth.session(), null)
    assert.equal(await store.getItem('peregrine.session'), null, 'the tokens are gone from the store')
    assert.equal(changes.at(-1), null, 'listeners heard the sign-out')
    // Signed out, the app keeps working as the anonymous role.
    assert.equal((await api.getPhenoms(1)).length, 1)
  })

  test('the session is restored from the SecureStore; signOut revokes the refresh token', async () => {
    const store = new MemorySecureStore()
    const c = newCredentials()
    const first = stack.adapter({ secureStore: store })
    const s = await first.auth.signUp(c)
    const second = stack.adapter({ secureStore: store })
    assert.deepEqual(await second.auth.session(), s)
    await second.updateUserProfile({ id: s.userId, profile: { restored: true } })
    const { rows: [u] } = await stack.sql('SELECT profile FROM users WHERE id = $1', [s.userId])
    assert.deepEqual(u.profile, { restored: true })

    const { refreshToken } = JSON.parse(await store.getItem('peregrine.session'))
    await second.auth.signOut()
    assert.equal(await second.auth.session(), null)
    const r = await fetch(`${stack.url}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) })
    assert.equal(r.status, 401, 'the server no longer honours the refresh token')
  })

  test('signIn on an account with TOTP asks for the code; verifyTotp completes the sign-in', async () => {
    const c = newCredentials()
    const api = stack.adapter()
    const s = await api.auth.signUp(c)
    const token = await api.auth.accessToken()
    const gen = await (await fetch(`${stack.url}/mfa/totp/generate`, { headers: { authorization: `Bearer ${token}` } })).json()
    const on = await fetch(`${stack.url}/user/mfa`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ code: totp(gen.totpSecret), activeMfaType: 'totp' }),
    })
    assert.equal(on.status, 200, await on.text())

    const phone = stack.adapter()
    assert.deepEqual(await phone.auth.signIn(c), { status: 'mfa-required' })
    assert.equal(await phone.auth.session(), null)
    await assert.rejects(phone.auth.verifyTotp('000000'), (e) => e instanceof PeregrineError && e.code === 'invalid-totp')
    // A wrong code spends the ticket? Sign in again if so, then give the right code.
    let session
    try {
      session = await phone.auth.verifyTotp(totp(gen.totpSecret, Date.now() + 30_000))
    } catch (e) {
      assert.equal(e.code, 'invalid-ticket')
      assert.deepEqual(await phone.auth.signIn(c), { status: 'mfa-required' })
      session = await phone.auth.verifyTotp(totp(gen.totpSecret, Date.now() + 30_000))
    }
    assert.equal(session.userId, s.userId)
    assert.equal((await phone.auth.session()).userId, s.userId)
    await phone.updateUserProfile({ id: s.userId, profile: { mfa: true } })
    const { rows: [u] } = await stack.sql('SELECT profile FROM users WHERE id = $1', [s.userId])
    assert.deepEqual(u.profile, { mfa: true })
  })
})

import type { Http } from '../core/http.js'
import { PeregrineError } from '../core/errors.js'
import { readClaims } from './jwt.js'
import type { SecureStore } from './secureStore.js'

/** The session as Hasura Auth answers it (sign-in, sign-up, POST /token). */
interface SessionPayload {
  accessToken: string
  accessTokenExpiresIn: number
  refreshToken: string
  refreshTokenId?: string
  user?: { id: string; email?: string; defaultRole?: string; roles?: string[] } | null
}

interface StoredSession {
  accessToken: string
  /** epoch ms */
  expiresAt: number
  refreshToken: string
  user: { id: string; email?: string } | null
}

export interface SessionInfo {
  userId: string
  email: string | null
  defaultRole: string | null
  roles: string[]
}

export type SignInResult =
  | { status: 'signed-in'; session: SessionInfo }
  /** the account has TOTP on: call verifyTotp(code) next */
  | { status: 'mfa-required' }

export interface Credentials {
  email: string
  password: string
}

const STORE_KEY = 'peregrine.session'

/**
 * The signed-in session: tokens kept in the SecureStore, the access token refreshed before it expires.
 * Refreshing is single-flight (concurrent callers share one POST /token), because refresh tokens are
 * single-use: a second refresh with the same token would be refused and sign the user out.
 */
export class SessionManager {
  private current: StoredSession | null = null
  private loaded: Promise<void> | null = null
  private refreshing: Promise<StoredSession | null> | null = null
  private mfaTicket: string | null = null
  private readonly listeners = new Set<(s: SessionInfo | null) => void>()
  /** counts POST /token calls (exposed for diagnostics and tests) */
  refreshCount = 0

  constructor(private readonly http: Http, private readonly store: SecureStore, private readonly refreshMarginMs: number) {}

  onChange(listener: (s: SessionInfo | null) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async signUp(c: Credentials & { displayName?: string; metadata?: Record<string, unknown> }): Promise<SessionInfo> {
    const options: Record<string, unknown> = {}
    if (c.displayName !== undefined) options.displayName = c.displayName
    if (c.metadata !== undefined) options.metadata = c.metadata
    const body = await this.http.postJson<{ session: SessionPayload | null }>('/signup/email-password',
      { email: c.email, password: c.password, ...(Object.keys(options).length ? { options } : {}) })
    if (!body.session) throw new PeregrineError('no-session', 'sign-up gave no session (is email verification required?)', { retryable: false })
    return this.accept(body.session)
  }

  async signIn(c: Credentials): Promise<SignInResult> {
    const body = await this.http.postJson<{ session: SessionPayload | null; mfa: { ticket: string } | null }>(
      '/signin/email-password', { email: c.email, password: c.password })
    if (body.mfa?.ticket && !body.session) {
      this.mfaTicket = body.mfa.ticket
      return { status: 'mfa-required' }
    }
    if (!body.session) throw new PeregrineError('no-session', 'sign-in gave no session', { retryable: false })
    return { status: 'signed-in', session: await this.accept(body.session) }
  }

  /** The second step of a sign-in on an account with TOTP. */
  async verifyTotp(code: string): Promise<SessionInfo> {
    if (!this.mfaTicket) throw new PeregrineError('invalid-ticket', 'no sign-in is waiting for a TOTP code', { retryable: false })
    const body = await this.http.postJson<{ session: SessionPayload | null }>('/signin/mfa/totp', { ticket: this.mfaTicket, otp: code })
    if (!body.session) throw new PeregrineError('no-session', 'the TOTP step gave no session', { retryable: false })
    this.mfaTicket = null
    return this.accept(body.session)
  }

  /** Ends this session on the server (best effort) and forgets the tokens here. */
  async signOut(): Promise<void> {
    await this.load()
    const s = this.current
    await this.clear()
    if (s) {
      try {
        await this.http.postJson('/signout', { refreshToken: s.refreshToken })
      } catch {
        // Offline: the tokens are gone from this device; the refresh token expires on the server.
      }
    }
  }

  async session(): Promise<SessionInfo | null> {
    await this.load()
    return this.current ? info(this.current) : null
  }

  /**
   * The access token to send, refreshed first when it expires within the margin; null when signed out.
   * Throws a retryable error when a needed refresh could not reach the server.
   */
  async accessToken(): Promise<string | null> {
    await this.load()
    const s = this.current
    if (!s) return null
    if (s.expiresAt - Date.now() > this.refreshMarginMs) return s.accessToken
    return (await this.refresh(s))?.accessToken ?? null
  }

  /** Refreshes because the server refused the token (e.g. a clock skew); null when that signed us out. */
  async refreshAfterRejection(rejected: string): Promise<string | null> {
    await this.load()
    const s = this.current
    if (!s) return null
    if (s.accessToken !== rejected) return s.accessToken
    return (await this.refresh(s))?.accessToken ?? null
  }

  private refresh(from: StoredSession): Promise<StoredSession | null> {
    if (this.refreshing) return this.refreshing
    // Someone refreshed since the caller read the session: its token is already rotated out.
    if (this.current !== from) return Promise.resolve(this.current)
    const run = (async () => {
      try {
        this.refreshCount++
        const payload = await this.http.postJson<SessionPayload>('/token', { refreshToken: from.refreshToken })
        await this.accept(payload, from.user)
        return this.current
      } catch (e) {
        if (e instanceof PeregrineError && !e.retryable && e.status !== undefined && e.status >= 400 && e.status < 500 && e.status !== 429) {
          // The refresh token was rotated out, revoked or expired: the session is over, cleanly.
          if (this.current === from) await this.clear()
          throw new PeregrineError('session-expired', `signed out: ${e.message}`, { retryable: false, status: e.status, cause: e })
        }
        throw e
      } finally {
        this.refreshing = null
      }
    })()
    this.refreshing = run
    return run
  }

  private async accept(p: SessionPayload, previousUser: StoredSession['user'] = null): Promise<SessionInfo> {
    const claims = readClaims(p.accessToken)
    const expiresAt = Date.now() + p.accessTokenExpiresIn * 1000
    const user = p.user ? { id: p.user.id, email: p.user.email } : previousUser ?? (claims.userId ? { id: claims.userId } : null)
    this.current = { accessToken: p.accessToken, expiresAt, refreshToken: p.refreshToken, user }
    this.loaded = Promise.resolve()
    await this.store.setItem(STORE_KEY, JSON.stringify(this.current))
    const i = info(this.current)
    this.emit(i)
    return i
  }

  private async clear(): Promise<void> {
    const had = this.current !== null
    this.current = null
    this.loaded = Promise.resolve()
    await this.store.removeItem(STORE_KEY)
    if (had) this.emit(null)
  }

  private emit(s: SessionInfo | null): void {
    for (const l of this.listeners) {
      try { l(s) } catch { /* a listener's bug is not the session's */ }
    }
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      const raw = await this.store.getItem(STORE_KEY)
      if (!raw) return
      try {
        const s = JSON.parse(raw) as StoredSession
        if (typeof s.accessToken === 'string' && typeof s.refreshToken === 'string' && typeof s.expiresAt === 'number') this.current = s
      } catch {
        await this.store.removeItem(STORE_KEY)
      }
    })()
    return this.loaded
  }
}

function info(s: StoredSession): SessionInfo {
  const claims = readClaims(s.accessToken)
  return {
    userId: s.user?.id ?? claims.userId ?? '',
    email: s.user?.email ?? null,
    defaultRole: claims.defaultRole,
    roles: claims.allowedRoles,
  }
}

import { MemorySecureStore, type SecureStore } from '../auth/secureStore.js'
import { SessionManager, type Credentials, type SessionInfo, type SignInResult } from '../auth/session.js'
import {
  GetPhenomDocument, GetPhenomsInCellDocument, GetPhenomsSinceDocument, GetRecentPhenomsDocument, GetUserProfileDocument,
  SearchPhenomsDocument, UpdateUserProfileDocument,
} from '../generated/graphql.js'
import { GraphQLClient } from '../graphql/client.js'
import { asObject, toPhenomItem } from '../graphql/mapping.js'
import { LiveFeed, type LiveFeedOptions, type WebSocketCtor } from '../live/newPhenoms.js'
import { fetchPut, type PutTransport } from '../media/putTransport.js'
import { MediaUploader } from '../media/upload.js'
import { MemoryQueueStore, type QueuedUpload, type QueueStore } from '../queue/queueStore.js'
import { UploadQueue, type QueueEvent } from '../queue/uploadQueue.js'
import { PeregrineError } from './errors.js'
import { Http, type FetchLike } from './http.js'
import { defaultRetryPolicy, type RetryPolicy } from './retry.js'
import type { IAPIAdapter, PhenomItem, PhenomProfile, RecordingData } from './types.js'

export interface AdapterOptions {
  /** the server's base URL: GraphQL at /v1/graphql, auth and files on the same host */
  url: string
  /** where the session's tokens are kept (MMKV with encryption in the app) */
  secureStore?: SecureStore
  /** where uploads wait for the network (default: in memory) */
  queueStore?: QueueStore
  fetch?: FetchLike
  /** a WebSocket constructor (default: the global one) */
  webSocketImpl?: WebSocketCtor | (() => Promise<WebSocketCtor>)
  /** how upload bytes are sent (default: fetch; the Node and React Native entries pass one with progress) */
  putTransport?: PutTransport
  /** refresh the access token when it expires within this margin (default 60 s) */
  refreshMarginMs?: number
  /** timeout of one API request (default 15 s) and of one file upload (default 10 min) */
  requestTimeoutMs?: number
  uploadTimeoutMs?: number
  /** retries of retryable failures of one call (default 4 attempts, 250 ms doubling, ≤ 10 s) */
  retry?: Partial<RetryPolicy>
  /** backoff of the offline upload queue (default 1 s doubling, ≤ 60 s, unlimited attempts) */
  queueRetry?: Partial<Omit<RetryPolicy, 'attempts'>>
  /** report ids for new recordings (default crypto.randomUUID) */
  newId?: () => string
}

export interface AdapterAuth {
  signUp(c: Credentials & { displayName?: string; metadata?: Record<string, unknown> }): Promise<SessionInfo>
  signIn(c: Credentials): Promise<SignInResult>
  verifyTotp(code: string): Promise<SessionInfo>
  signOut(): Promise<void>
  /** the current user's id and roles, or null when signed out */
  session(): Promise<SessionInfo | null>
  onSessionChange(listener: (s: SessionInfo | null) => void): () => void
  /** a valid access token (refreshed when due), or null when signed out */
  accessToken(): Promise<string | null>
}

export interface AdapterUploads {
  pending(): Promise<QueuedUpload[]>
  /** tell the queue the network is back: queued uploads are tried at once */
  online(): void
  /** try every due upload now; resolves when the round is over */
  flush(): Promise<void>
  onEvent(listener: (e: QueueEvent) => void): () => void
}

export interface PeregrineAdapter extends IAPIAdapter {
  auth: AdapterAuth
  uploads: AdapterUploads
  /** new reports as they are created (the app's NewPhenoms subscription); returns unsubscribe */
  subscribeToNewPhenoms(onItem: (item: PhenomItem) => void, options?: LiveFeedOptions): () => void
  /** stops the upload queue's timer and closes the websocket */
  close(): void
}

const MAX_PAGE = 1000
const SEARCH_LIMIT = 50
const CELL_LIMIT = 1000

export function createAdapterCore(options: AdapterOptions): PeregrineAdapter {
  const base = options.url.replace(/\/+$/, '')
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis)
  const http = new Http(base, fetchImpl, options.requestTimeoutMs ?? 15_000)
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...options.retry }
  const queueRetry: RetryPolicy = { attempts: Number.POSITIVE_INFINITY, baseDelayMs: 1000, maxDelayMs: 60_000, ...options.queueRetry }
  const session = new SessionManager(http, options.secureStore ?? new MemorySecureStore(), options.refreshMarginMs ?? 60_000)
  const graphql = new GraphQLClient(http, session, retry)
  const uploader = new MediaUploader(http, session, options.putTransport ?? fetchPut(fetchImpl), options.uploadTimeoutMs ?? 600_000)
  const queue = new UploadQueue(options.queueStore ?? new MemoryQueueStore(), uploader, graphql, session, queueRetry,
    options.newId ?? (() => globalThis.crypto.randomUUID()))
  const ws = options.webSocketImpl
  const live = new LiveFeed(base.replace(/^http/, 'ws') + '/v1/graphql', session, async () => {
    if (typeof ws === 'function' && !('prototype' in ws && ws.prototype)) return (ws as () => Promise<WebSocketCtor>)()
    const impl = (ws as WebSocketCtor | undefined) ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket
    if (!impl) throw new PeregrineError('no-websocket', 'no WebSocket implementation: pass webSocketImpl', { retryable: false })
    return impl
  }, retry)
  session.onChange(() => live.reconnect())
  // A pending upload that was waiting for the network is a good reason to try once the queue is built.
  void queue.drain()

  return {
    auth: {
      signUp: (c) => session.signUp(c),
      signIn: (c) => session.signIn(c),
      verifyTotp: (code) => session.verifyTotp(code),
      signOut: () => session.signOut(),
      session: () => session.session(),
      onSessionChange: (l) => session.onChange(l),
      accessToken: () => session.accessToken(),
    },
    uploads: {
      pending: () => queue.pending(),
      online: () => queue.online(),
      flush: () => queue.drain(),
      onEvent: (l) => queue.onEvent(l),
    },

    async getPhenoms(size = 20, since) {
      const limit = clampLimit(size, MAX_PAGE)
      const rows = since
        ? (await graphql.query(GetPhenomsSinceDocument, { limit, since: since.toISOString() })).phenom_reports
        : (await graphql.query(GetRecentPhenomsDocument, { limit })).phenom_reports
      return rows.map(toPhenomItem)
    },

    async getPhenom(id) {
      const row = (await graphql.query(GetPhenomDocument, { id })).phenom_reports_by_pk
      if (!row) throw new PeregrineError('not-found', `no report ${id}`, { retryable: false })
      return toPhenomItem(row)
    },

    async getPhenomByH3Cell(h3Index) {
      const rows = (await graphql.query(GetPhenomsInCellDocument, { h3Index, limit: CELL_LIMIT })).phenom_reports
      return rows.map(toPhenomItem)
    },

    async getUserProfile(userId) {
      const row = (await graphql.query(GetUserProfileDocument, { id: userId })).users_by_pk
      if (!row) throw new PeregrineError('not-found', `no user ${userId}`, { retryable: false })
      return { id: row.id, profile: asObject(row.profile), reportCount: row.phenom_reports_aggregate.aggregate?.count ?? 0 }
    },

    async updateUserProfile(profile: PhenomProfile) {
      const row = (await graphql.mutation(UpdateUserProfileDocument, { id: profile.id, profile: profile.profile ?? {} })).update_users_by_pk
      // The user role may update only its own row: another id matches no row rather than erroring.
      if (!row) throw new PeregrineError('permission-error', `cannot update the profile of user ${profile.id}`, { retryable: false })
    },

    uploadRecording: (recording: RecordingData) => queue.upload(recording),

    async search(query) {
      const q = query.trim()
      if (!q) return []
      const rows = (await graphql.query(SearchPhenomsDocument, { search: q, limit: SEARCH_LIMIT })).search_phenom_reports
      return rows.map(toPhenomItem)
    },

    subscribeToNewPhenoms: (onItem, options) => live.subscribe(onItem, options),

    close() {
      queue.close()
      live.close()
    },
  }
}

function clampLimit(n: number, max: number): number {
  if (!Number.isFinite(n)) return max
  return Math.max(1, Math.min(max, Math.floor(n)))
}

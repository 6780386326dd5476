import type { SessionManager } from '../auth/session.js'
import { PeregrineError } from '../core/errors.js'
import { asPeregrineError, backoffDelay, type RetryPolicy } from '../core/retry.js'
import type { RecordingData } from '../core/types.js'
import type { GraphQLClient } from '../graphql/client.js'
import { toGeoJson } from '../graphql/mapping.js'
import { CreatePhenomReportDocument, GetReportOwnerDocument, type Phenom_Reports_Insert_Input } from '../generated/graphql.js'
import { MediaUploader, mediaType } from '../media/upload.js'
import type { QueuedUpload, QueueStore } from './queueStore.js'

export type QueueEvent =
  | { type: 'queued'; id: string; error: PeregrineError }
  | { type: 'uploaded'; id: string }
  | { type: 'failed'; id: string; error: PeregrineError }

type Attempt = { outcome: 'done' | 'retry' | 'paused' | 'failed'; error?: PeregrineError }

/** Codes that wait for the user (signed out) rather than fail the upload or retry on a timer. */
const WAITS_FOR_SIGN_IN = new Set(['session-expired', 'access-denied', 'invalid-jwt'])

/**
 * uploadRecording and its offline queue. Every recording is written to the QueueStore before the first byte
 * is sent, with a client-chosen report id; each attempt resumes from the last finished step (file presigned,
 * sent, completed) and inserts the report with that id, so however many times an attempt is cut off, the
 * server ends up with exactly one report: a repeated insert hits phenom_reports_pkey and is recognised as
 * the earlier attempt's success. Retryable failures back off with jitter (one timer, owned here, cleared
 * by close()); online() and a new sign-in retry at once.
 */
export class UploadQueue {
  private readonly inFlight = new Set<string>()
  private readonly listeners = new Set<(e: QueueEvent) => void>()
  private draining: Promise<void> | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private closed = false

  constructor(private readonly store: QueueStore, private readonly uploader: MediaUploader, private readonly graphql: GraphQLClient,
    private readonly session: SessionManager, private readonly policy: RetryPolicy, private readonly newId: () => string) {
    session.onChange((s) => { if (s) this.online() })
  }

  onEvent(listener: (e: QueueEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async pending(): Promise<QueuedUpload[]> {
    return (await this.store.list()).sort((a, b) => a.createdAt - b.createdAt)
  }

  /**
   * Uploads now; resolves to the report id. When the server cannot be reached the recording stays queued
   * (event "queued") and the promise still resolves to the id the report will have.
   */
  async upload(recording: RecordingData): Promise<string> {
    const entry: QueuedUpload = {
      id: recording.id ?? this.newId(),
      recording: {
        media: recording.media,
        location: recording.location,
        timestamp: (recording.timestamp ?? new Date()).toISOString(),
        description: recording.description,
        categories: recording.categories,
        coordinates: recording.coordinates,
      },
      media: recording.media.map(() => ({})),
      attempts: 0,
      nextAttemptAt: Date.now(),
      createdAt: Date.now(),
    }
    if (recording.media.length === 0) throw new PeregrineError('bad-request', 'a recording needs at least one media file', { retryable: false })
    if (!(await this.session.session())) throw new PeregrineError('access-denied', 'sign in before uploading', { retryable: false, status: 401 })
    await this.store.put(entry)
    const { outcome, error } = await this.attempt(entry, recording.onProgress)
    if (outcome === 'failed') throw error
    return entry.id
  }

  /** Call when connectivity returns (e.g. from NetInfo): queued uploads are tried now. */
  online(): void {
    if (this.closed) return
    void this.store.list().then(async (entries) => {
      for (const e of entries) { e.nextAttemptAt = Date.now(); await this.store.put(e) }
      return this.drain()
    }).catch(() => {})
  }

  /** Tries every due upload once; resolves when that round is over. */
  drain(): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.draining ??= (async () => {
      try {
        for (const entry of await this.pending()) {
          if (this.closed) return
          if (entry.nextAttemptAt > Date.now() || this.inFlight.has(entry.id)) continue
          const { outcome } = await this.attempt(entry)
          if (outcome === 'retry' || outcome === 'paused') break // the server or the session is not there: later
        }
      } finally {
        this.draining = null
        await this.schedule()
      }
    })()
    return this.draining
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private async attempt(entry: QueuedUpload, onProgress?: RecordingData['onProgress']): Promise<Attempt> {
    const result = await this.attemptOnce(entry, onProgress)
    // Only now is the entry out of inFlight, so the timer can be set for it.
    if (result.outcome === 'retry') await this.schedule()
    return result
  }

  private async attemptOnce(entry: QueuedUpload, onProgress?: RecordingData['onProgress']): Promise<Attempt> {
    if (this.inFlight.has(entry.id)) return { outcome: 'retry' }
    this.inFlight.add(entry.id)
    try {
      await this.process(entry, onProgress)
      await this.store.remove(entry.id)
      this.emit({ type: 'uploaded', id: entry.id })
      return { outcome: 'done' }
    } catch (e) {
      const error = asPeregrineError(e)
      entry.lastError = { code: error.code, message: error.message }
      if (WAITS_FOR_SIGN_IN.has(error.code)) {
        await this.store.put(entry)
        this.emit({ type: 'queued', id: entry.id, error })
        return { outcome: 'paused', error }
      }
      if (!error.retryable) {
        await this.store.remove(entry.id)
        this.emit({ type: 'failed', id: entry.id, error })
        return { outcome: 'failed', error }
      }
      entry.attempts++
      entry.nextAttemptAt = Date.now() + backoffDelay(this.policy, entry.attempts, error)
      await this.store.put(entry)
      this.emit({ type: 'queued', id: entry.id, error })
      return { outcome: 'retry', error }
    } finally {
      this.inFlight.delete(entry.id)
    }
  }

  private async process(entry: QueuedUpload, onProgress?: RecordingData['onProgress']): Promise<void> {
    const r = entry.recording
    const fileIds: string[] = []
    for (let i = 0; i < r.media.length; i++) {
      const m = r.media[i]!
      fileIds.push(await this.uploader.upload(m, entry.media[i]!, (sentBytes, totalBytes) => onProgress?.({ file: i, sentBytes, totalBytes }),
        () => this.store.put(entry)))
    }
    const report: Phenom_Reports_Insert_Input = {
      id: entry.id,
      location: toGeoJson(r.location),
      timestamp: r.timestamp,
      description: r.description ?? null,
      media: { data: r.media.map((m, i) => ({ file_id: fileIds[i], type: mediaType(m) })) },
    }
    if (r.coordinates !== undefined) report.coordinates = r.coordinates
    if (r.categories?.length) {
      report.categories = {
        data: r.categories.map((c) => (typeof c === 'string' ? { name: c } : { name: c.name, icon: c.icon })),
        // An existing category is linked, not changed: users may not edit categories.
        on_conflict: { constraint: 'categories_name_key', update_columns: [] },
      }
    }
    try {
      await this.graphql.mutation(CreatePhenomReportDocument, { report })
    } catch (e) {
      if (!(e instanceof PeregrineError && e.code === 'constraint-violation' && /phenom_reports_pkey/.test(e.message))) throw e
      // An earlier attempt inserted it and only the answer was lost: make sure it is ours.
      const me = await this.session.session()
      const { phenom_reports_by_pk: row } = await this.graphql.query(GetReportOwnerDocument, { id: entry.id })
      if (!row || row.user_id !== me?.userId) throw e
    }
  }

  private async schedule(): Promise<void> {
    if (this.closed || this.draining) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const entries = (await this.store.list()).filter((e) => !this.inFlight.has(e.id) && !(e.lastError && WAITS_FOR_SIGN_IN.has(e.lastError.code)))
    if (entries.length === 0 || this.closed) return
    const next = Math.min(...entries.map((e) => e.nextAttemptAt))
    this.timer = setTimeout(() => { this.timer = null; void this.drain() }, Math.max(0, next - Date.now()))
    // A pending upload alone must not keep a Node process (a test, a script) alive.
    const t = this.timer as { unref?: () => void }
    t.unref?.()
  }

  private emit(e: QueueEvent): void {
    for (const l of this.listeners) {
      try { l(e) } catch { /* a listener's bug is not the queue's */ }
    }
  }
}

import type { SessionManager } from '../auth/session.js'
import { PeregrineError } from '../core/errors.js'
import type { Http } from '../core/http.js'
import type { RecordingMedia } from '../core/types.js'
import { byteLength, type PutTransport } from './putTransport.js'

/** A signed upload URL from POST /v1/files/presigned-upload. */
export interface PresignedUpload {
  id: string
  uploadUrl: string
  method: string
  headers: Record<string, string>
  expiresAt: string
}

/** Where one media file of a recording stands; kept in the queue so a retry resumes instead of restarting. */
export interface MediaProgress {
  upload?: PresignedUpload
  sent?: boolean
  completed?: boolean
}

/** The seed's upload flow: presign → PUT the bytes to the signed URL → complete (server-side validation). */
export class MediaUploader {
  constructor(private readonly http: Http, private readonly session: SessionManager, private readonly put: PutTransport,
    private readonly uploadTimeoutMs: number) {}

  /**
   * Takes the file through the remaining steps and returns its id. `state` is updated as steps finish, so a
   * caller that persists it resumes from the last finished step.
   */
  async upload(media: RecordingMedia, state: MediaProgress, onProgress?: (sent: number, total: number) => void,
    saveState?: () => Promise<void>): Promise<string> {
    const total = byteLength(media.body)
    if (state.upload && !state.completed && Date.parse(state.upload.expiresAt) - Date.now() < 60_000) {
      // The signed URL is (nearly) expired and the file never completed: start this file over.
      state.upload = undefined
      state.sent = false
    }
    if (!state.upload) {
      state.upload = await this.http.postJson<PresignedUpload>('/v1/files/presigned-upload',
        { name: media.name ?? 'recording', mimeType: media.mimeType, size: total }, await this.token())
      await saveState?.()
    }
    const up = state.upload
    if (!state.sent && !state.completed) {
      try {
        await this.put({ url: up.uploadUrl, method: up.method, headers: up.headers, body: media.body, onProgress, timeoutMs: this.uploadTimeoutMs })
      } catch (e) {
        // An earlier attempt's bytes arrived and were completed, only the answer was lost.
        if (!(e instanceof PeregrineError && e.code === 'already-completed')) throw e
      }
      state.sent = true
      await saveState?.()
    }
    if (!state.completed) {
      try {
        await this.http.postJson(`/v1/files/${encodeURIComponent(up.id)}/complete`, {}, await this.token())
      } catch (e) {
        if (e instanceof PeregrineError && e.code === 'file-not-uploaded') {
          // The bytes never reached staging (or were purged): send them again next time.
          state.sent = false
          await saveState?.()
          throw new PeregrineError(e.code, e.message, { retryable: true, status: e.status, cause: e })
        }
        throw e
      }
      state.completed = true
      await saveState?.()
    }
    onProgress?.(total, total)
    return up.id
  }

  private async token(): Promise<string> {
    const t = await this.session.accessToken()
    if (!t) throw new PeregrineError('access-denied', 'sign in before uploading', { retryable: false, status: 401 })
    return t
  }
}

export function mediaType(m: RecordingMedia): string {
  if (m.type) return m.type
  return m.mimeType.startsWith('image/') ? 'image' : m.mimeType.startsWith('video/') ? 'video' : 'file'
}

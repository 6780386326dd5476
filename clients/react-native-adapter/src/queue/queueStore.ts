import type { RecordingData } from '../core/types.js'
import type { MediaProgress } from '../media/upload.js'

/** A recording waiting to be uploaded; `id` is the report id it will have (its idempotency key). */
export interface QueuedUpload {
  id: string
  recording: Omit<RecordingData, 'onProgress' | 'id' | 'timestamp'> & { timestamp: string }
  /** one per media file: how far its upload got */
  media: MediaProgress[]
  attempts: number
  /** epoch ms */
  nextAttemptAt: number
  createdAt: number
  lastError?: { code: string; message: string }
}

/**
 * Where queued uploads are kept until the server has them. The app plugs a persistent one (files + MMKV
 * index) so a queue survives an app restart; `put` must be durable when it resolves.
 */
export interface QueueStore {
  list(): Promise<QueuedUpload[]>
  put(entry: QueuedUpload): Promise<void>
  remove(id: string): Promise<void>
}

export class MemoryQueueStore implements QueueStore {
  private readonly entries = new Map<string, QueuedUpload>()

  async list(): Promise<QueuedUpload[]> {
    return [...this.entries.values()]
  }

  async put(entry: QueuedUpload): Promise<void> {
    this.entries.set(entry.id, entry)
  }

  async remove(id: string): Promise<void> {
    this.entries.delete(id)
  }
}

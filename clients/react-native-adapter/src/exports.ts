// What both entry points export besides createAdapter.
export { createAdapterCore } from './core/createAdapter.js'
export type { AdapterOptions, AdapterAuth, AdapterUploads, PeregrineAdapter } from './core/createAdapter.js'
export type { IAPIAdapter, PhenomItem, PhenomProfile, RecordingData, RecordingMedia, GeoPoint, PhenomMedia, PhenomCategory,
  PhenomAuthor, UploadProgress, UploadBody } from './core/types.js'
export { PeregrineError } from './core/errors.js'
export { backoffDelay, withRetry, type RetryPolicy } from './core/retry.js'
export { MemorySecureStore, type SecureStore } from './auth/secureStore.js'
export type { SessionInfo, SignInResult, Credentials } from './auth/session.js'
export { MemoryQueueStore, type QueueStore, type QueuedUpload } from './queue/queueStore.js'
export type { QueueEvent } from './queue/uploadQueue.js'
export type { PutTransport, PutRequest } from './media/putTransport.js'
export { fetchPut, xhrPut } from './media/putTransport.js'
export type { LiveFeedOptions } from './live/newPhenoms.js'

// The app's data types (from the Peregrine backend document's IAPIAdapter and the app's operations).

export interface GeoPoint {
  latitude: number
  longitude: number
}

export interface PhenomMedia {
  url: string
  /** "video", "image", ... as the report's media row says */
  type: string
  thumbnailUrl: string | null
}

export interface PhenomCategory {
  name: string
  icon: string | null
}

export interface PhenomAuthor {
  id: string
  profile: Record<string, unknown>
}

/** One report as the feed, the map and the detail screen show it. */
export interface PhenomItem {
  id: string
  timestamp: Date
  location: GeoPoint | null
  description: string | null
  h3Index: string | null
  user: PhenomAuthor | null
  media: PhenomMedia[]
  categories: PhenomCategory[]
}

/** A user's public profile: `profile` is the app's free-form JSON (display name, avatar, bio...). */
export interface PhenomProfile {
  id: string
  profile: Record<string, unknown>
  /** how many reports the user has made (read-only; ignored by updateUserProfile) */
  reportCount?: number
}

export type UploadBody = Uint8Array | ArrayBuffer | Blob

export interface RecordingMedia {
  /** the file's bytes */
  body: UploadBody
  /** declared type, checked by the server against the bytes (video/mp4, image/jpeg, ...) */
  mimeType: string
  name?: string
  /** the media row's type; default: "video" or "image" from mimeType */
  type?: string
}

export interface UploadProgress {
  /** index of the media file in the recording */
  file: number
  sentBytes: number
  totalBytes: number
}

/** What the record screen produces: media files, where and when, and what it is. */
export interface RecordingData {
  /**
   * Client-chosen report id (a UUID), the upload's idempotency key: an upload retried any number of times
   * creates at most one report with this id. Chosen by the adapter when absent.
   */
  id?: string
  media: RecordingMedia[]
  location: GeoPoint
  timestamp?: Date
  description?: string
  /** category names (linked, created when new) */
  categories?: Array<string | PhenomCategory>
  /** extra JSON kept with the report (e.g. the sensor trace) */
  coordinates?: unknown
  onProgress?: (p: UploadProgress) => void
}

/** The interface the app's screens call (PhenomAPI.current), from the backend document. */
export interface IAPIAdapter {
  getPhenoms(size?: number, since?: Date): Promise<PhenomItem[]>
  getPhenom(id: string): Promise<PhenomItem>
  getPhenomByH3Cell(h3Index: string): Promise<PhenomItem[]>
  getUserProfile(userId: string): Promise<PhenomProfile>
  updateUserProfile(profile: PhenomProfile): Promise<void>
  uploadRecording(recording: RecordingData): Promise<string>
  search(query: string): Promise<PhenomItem[]>
}

import type { GeoPoint, PhenomItem } from '../core/types.js'

/** A report row as the adapter's queries select it (the contract's operations select subsets). */
export interface ReportRow {
  id: string
  timestamp: string
  location?: { type: string; coordinates: unknown } | null
  description?: string | null
  h3_index?: string | null
  user?: { id: string; profile: unknown } | null
  media?: Array<{ url?: string; type?: string; thumbnail_url?: string | null }>
  categories?: Array<{ name: string; icon: string | null }>
}

/** GeoJSON Point [lng, lat] → {latitude, longitude}. */
export function toGeoPoint(location: ReportRow['location']): GeoPoint | null {
  const c = location?.coordinates
  if (!Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number') return null
  return { longitude: c[0], latitude: c[1] }
}

export function toGeoJson(p: GeoPoint): { type: 'Point'; coordinates: [number, number] } {
  return { type: 'Point', coordinates: [p.longitude, p.latitude] }
}

export function asObject(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
}

export function toPhenomItem(r: ReportRow): PhenomItem {
  return {
    id: r.id,
    timestamp: new Date(r.timestamp),
    location: toGeoPoint(r.location),
    description: r.description ?? null,
    h3Index: r.h3_index ?? null,
    user: r.user ? { id: r.user.id, profile: asObject(r.user.profile) } : null,
    media: (r.media ?? []).map((m) => ({ url: m.url ?? '', type: m.type ?? '', thumbnailUrl: m.thumbnail_url ?? null })),
    categories: (r.categories ?? []).map((c) => ({ name: c.name, icon: c.icon ?? null })),
  }
}

import { createClient, type Client } from 'graphql-ws/client'
import type { SessionManager } from '../auth/session.js'
import { backoffDelay, type RetryPolicy } from '../core/retry.js'
import type { PhenomItem } from '../core/types.js'
import { NewPhenomsDocument, type NewPhenomsSubscription } from '../generated/graphql.js'
import { toPhenomItem } from '../graphql/mapping.js'
import { stringifyDocument } from '@urql/core'

export interface LiveFeedOptions {
  /** a delivery or connection problem (the feed keeps reconnecting) */
  onError?: (e: unknown) => void
  /** the subscription is live: reports created from now on will be announced */
  onLive?: () => void
}

export type WebSocketCtor = new (url: string, protocols?: string | string[]) => unknown

const NEW_PHENOMS = stringifyDocument(NewPhenomsDocument)
/** Ids remembered to tell new reports from ones already shown (the subscription re-sends its last 10). */
const SEEN_LIMIT = 1000

/**
 * The live feed over graphql-transport-ws (the app's NewPhenoms live query). graphql-ws reconnects with
 * jittered backoff whenever the socket drops and subscribes again; each connection authenticates with the
 * session's current token (refreshed if due) in connection_init. The first result is the baseline; every
 * report id not seen before is passed to the listener once, including those inserted while disconnected.
 */
export class LiveFeed {
  private client: Client | null = null

  constructor(private readonly wsUrl: string, private readonly session: SessionManager,
    private readonly webSocketImpl: () => Promise<WebSocketCtor>, private readonly retry: RetryPolicy) {}

  subscribe(onItem: (item: PhenomItem) => void, options: LiveFeedOptions = {}): () => void {
    const { onError, onLive } = options
    const seen = new Set<string>()
    let baseline = true
    let disposed = false
    let dispose: (() => void) | null = null

    void this.ensureClient().then((client) => {
      if (disposed) return
      dispose = client.subscribe<NewPhenomsSubscription>({ query: NEW_PHENOMS }, {
        next: (result) => {
          const rows = result.data?.phenom_reports ?? []
          const fresh = rows.filter((r) => !seen.has(r.id))
          for (const r of rows) remember(seen, r.id)
          if (baseline) { baseline = false; onLive?.(); return }
          // Oldest first, as they happened.
          for (const r of fresh.reverse()) {
            try { onItem(toPhenomItem(r)) } catch (e) { onError?.(e) }
          }
        },
        error: (e) => onError?.(e),
        complete: () => {},
      })
    }, (e) => onError?.(e))

    return () => {
      disposed = true
      dispose?.()
    }
  }

  /**
   * The session changed (sign-in, sign-out, another user): drop the socket so graphql-ws reconnects with
   * the new credentials and subscribes again; subscribers keep their callbacks.
   */
  reconnect(): void {
    this.client?.terminate()
  }

  close(): void {
    void this.client?.dispose()
    this.client = null
  }

  private async ensureClient(): Promise<Client> {
    if (this.client) return this.client
    const impl = await this.webSocketImpl()
    this.client ??= createClient({
      url: this.wsUrl,
      webSocketImpl: impl,
      lazy: true,
      // Reconnect for as long as something is subscribed: a phone goes in and out of coverage.
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: (retries) => new Promise((r) => setTimeout(r, Math.max(100, backoffDelay(this.retry, Math.min(retries, 8))))),
      connectionParams: async () => {
        const token = await this.session.accessToken().catch(() => null)
        return token ? { headers: { Authorization: `Bearer ${token}` } } : {}
      },
    })
    return this.client
  }
}

function remember(seen: Set<string>, id: string): void {
  seen.add(id)
  if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string)
}

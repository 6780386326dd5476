// The package's default entry (Node and anything without a React Native bundler): the adapter core with
// Node's fetch, ws as the WebSocket when there is no global one (Node 20), and node:http uploads with progress.
import { createAdapterCore, type AdapterOptions, type PeregrineAdapter } from './core/createAdapter.js'
import type { WebSocketCtor } from './live/newPhenoms.js'
import { nodePut } from './media/nodePut.js'

export function createAdapter(options: AdapterOptions): PeregrineAdapter {
  return createAdapterCore({
    putTransport: nodePut,
    webSocketImpl: async () => {
      const global = (globalThis as { WebSocket?: WebSocketCtor }).WebSocket
      if (global) return global
      const ws = await import('ws')
      return ws.default as unknown as WebSocketCtor
    },
    ...options,
  })
}

export * from './exports.js'

// The React Native entry (the "react-native" export condition): RN's global fetch and WebSocket, uploads
// through XMLHttpRequest for progress events, and an MMKV-backed SecureStore. It imports no RN package:
// the app passes its MMKV instance.
import { createAdapterCore, type AdapterOptions, type PeregrineAdapter } from './core/createAdapter.js'
import { xhrPut } from './media/putTransport.js'

export function createAdapter(options: AdapterOptions): PeregrineAdapter {
  const Xhr = (globalThis as { XMLHttpRequest?: new () => XMLHttpRequest }).XMLHttpRequest
  return createAdapterCore({
    ...(Xhr ? { putTransport: xhrPut(Xhr) } : {}),
    ...options,
  })
}

export { mmkvSecureStore, type MmkvLike } from './native/mmkvSecureStore.js'
export * from './exports.js'

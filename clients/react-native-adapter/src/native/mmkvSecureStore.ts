import type { SecureStore } from '../auth/secureStore.js'

/** The part of react-native-mmkv's MMKV instance the store uses (no RN package needed to build). */
export interface MmkvLike {
  getString(key: string): string | undefined
  set(key: string, value: string): void
  delete?(key: string): void
  remove?(key: string): void
}

/**
 * Tokens in MMKV, as the backend document says. Create the instance with an encryption key, e.g.
 * `new MMKV({ id: 'peregrine-session', encryptionKey })` with the key from the device keychain.
 */
export function mmkvSecureStore(mmkv: MmkvLike): SecureStore {
  return {
    async getItem(key) { return mmkv.getString(key) ?? null },
    async setItem(key, value) { mmkv.set(key, value) },
    async removeItem(key) {
      if (mmkv.delete) mmkv.delete(key)
      else mmkv.remove?.(key)
    },
  }
}

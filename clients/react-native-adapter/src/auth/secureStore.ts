/**
 * Where the session's tokens live. The app plugs MMKV with encryption (see the react-native entry's
 * `mmkvSecureStore`); tests use MemorySecureStore. Values are strings; async so a keychain fits too.
 */
export interface SecureStore {
  getItem(key: string): Promise<string | null>
  setItem(key: string, value: string): Promise<void>
  removeItem(key: string): Promise<void>
}

export class MemorySecureStore implements SecureStore {
  private readonly items = new Map<string, string>()

  async getItem(key: string): Promise<string | null> {
    return this.items.get(key) ?? null
  }

  async setItem(key: string, value: string): Promise<void> {
    this.items.set(key, value)
  }

  async removeItem(key: string): Promise<void> {
    this.items.delete(key)
  }
}

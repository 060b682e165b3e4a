/**
 * A least-recently-used cache bounded by the bytes of its values, for file contents served from memory:
 * the total never exceeds `max_bytes`, a value larger than that is not kept at all.
 */
export class ByteLRU<V extends { readonly byteLength: number }, E extends { readonly data: V }> {
  private readonly _entries = new Map<string, E>()
  private _bytes = 0

  constructor(readonly max_bytes: number) {}

  /** Bytes held now. */
  get bytes(): number {
    return this._bytes
  }

  get size(): number {
    return this._entries.size
  }

  /** The entry for `key`, now the most recently used. */
  get(key: string): E | undefined {
    const entry = this._entries.get(key)
    if (entry !== undefined) {
      this._entries.delete(key)
      this._entries.set(key, entry)
    }
    return entry
  }

  /** Keeps `entry` (unless it alone is over the budget), dropping the least recently used ones to make room. */
  set(key: string, entry: E): void {
    this.delete(key)
    const size = entry.data.byteLength
    if (size > this.max_bytes) return
    while (this._bytes + size > this.max_bytes) {
      const oldest = this._entries.keys().next().value as string
      this.delete(oldest)
    }
    this._entries.set(key, entry)
    this._bytes += size
  }

  delete(key: string): void {
    const entry = this._entries.get(key)
    if (entry === undefined) return
    this._entries.delete(key)
    this._bytes -= entry.data.byteLength
  }
}

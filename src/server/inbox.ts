/**
 * `BoundedInbox`: what a connection has received and not handled yet. Past `limit` items it asks the
 * transport to stop reading (the peer then meets TCP backpressure instead of our memory); once half
 * of it is handled, reading resumes. Frames the socket had already read when it was paused still
 * arrive, so the length can pass `limit` by what one socket read holds, never more.
 */
export class BoundedInbox<T> {
  private readonly _items: T[] = []
  private _paused = false
  /** The largest length seen (a statistic). */
  peak = 0

  constructor(
    readonly limit: number,
    private readonly _pause: () => void,
    private readonly _resume: () => void,
  ) {}

  get length(): number {
    return this._items.length
  }

  get paused(): boolean {
    return this._paused
  }

  push(item: T): void {
    this._items.push(item)
    if (this._items.length > this.peak) this.peak = this._items.length
    if (!this._paused && this._items.length >= this.limit) {
      this._paused = true
      this._pause()
    }
  }

  shift(): T | undefined {
    const item = this._items.shift()
    if (this._paused && this._items.length <= this.limit >> 1) {
      this._paused = false
      this._resume()
    }
    return item
  }

  /** Takes everything (without resuming: the new owner decides). */
  take_all(): T[] {
    return this._items.splice(0)
  }

  clear(): void {
    this._items.length = 0
  }
}

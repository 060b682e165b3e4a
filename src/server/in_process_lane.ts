/**
 * One direction of the in-process websocket (in_process.ts): frames and control events delivered in order,
 * in a microtask (never inside the `send` that sent them, as with real I/O), which the receiver may pause
 * the way TCP backpressure holds a peer back.
 */

/** A frame or control event travelling one way. */
export type Item =
  | { readonly kind: "open" }
  | { readonly kind: "frame"; readonly data: string | Buffer }
  | { readonly kind: "ping" }
  | { readonly kind: "close"; readonly code: number; readonly reason: string }

/** One direction of the pipe: a FIFO delivered in a microtask, which a receiver may pause. */
export class Lane {
  private readonly _items: Item[] = []
  private _scheduled = false
  private _paused = false
  /** Bytes of frames queued and not yet delivered. */
  bytes = 0

  constructor(
    private readonly _deliver: (item: Item) => void,
    private readonly _drained: () => void = () => {},
  ) {}

  push(item: Item): void {
    if (item.kind === "frame") this.bytes += frame_size(item.data)
    this._items.push(item)
    this._schedule()
  }

  /** Drops everything not yet delivered (an abort); true if that included the handshake's `open`. */
  clear(): boolean {
    const had_open = this._items.some((i) => i.kind === "open")
    this._items.length = 0
    this.bytes = 0
    return had_open
  }

  pause(): void {
    this._paused = true
  }

  resume(): void {
    this._paused = false
    this._schedule()
  }

  private _schedule(): void {
    if (this._scheduled || this._items.length === 0) return
    this._scheduled = true
    queueMicrotask(() => {
      this._scheduled = false
      const had_bytes = this.bytes > 0
      // A close is read even while paused (a peer that stopped reading still sees the connection end).
      while (this._items.length > 0 && (!this._paused || this._items.some((i) => i.kind === "close"))) {
        const item = this._items.shift()!
        if (item.kind === "frame") this.bytes -= frame_size(item.data)
        this._deliver(item)
      }
      if (had_bytes && this.bytes === 0) this._drained()
    })
  }
}

export function frame_size(data: string | Buffer): number {
  return typeof data === "string" ? Buffer.byteLength(data) : data.byteLength
}

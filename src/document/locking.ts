/**
 * The document lock: a per-session async mutex. Every session callback holds it from start to end
 * (sync or async), unless marked with `without_document_lock`; such callbacks must use
 * `add_next_tick_callback` to touch the document.
 */

const NOLOCK = Symbol("bokeh.nolock")

/** Marks a callback to run without the document lock (Python's `@without_document_lock`). */
export function without_document_lock<F extends (...args: never[]) => unknown>(fn: F): F {
  Object.defineProperty(fn, NOLOCK, { value: true })
  return fn
}

export function is_nolock(fn: unknown): boolean {
  return typeof fn === "function" && (fn as unknown as Record<symbol, unknown>)[NOLOCK] === true
}

/** An async mutex: `await lock.acquire()` returns a release function; waiters run in FIFO order. */
export class DocumentLock {
  private locked = false
  private readonly waiters: Array<() => void> = []

  get is_locked(): boolean {
    return this.locked
  }

  acquire(): Promise<() => void> {
    if (!this.locked) {
      this.locked = true
      return Promise.resolve(this.release_once())
    }
    return new Promise((resolve) => this.waiters.push(() => resolve(this.release_once())))
  }

  /** Runs `fn` while holding the lock. */
  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    const release = await this.acquire()
    try {
      return await fn()
    } finally {
      release()
    }
  }

  private release_once(): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.waiters.shift()
      if (next !== undefined) next()
      else this.locked = false
    }
  }
}

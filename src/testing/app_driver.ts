/**
 * Driving a running Bokeh app from tests: pull a session, find models by name, set values, and
 * `await until(() => ...)` for the server's reaction. Waiting is driven by the protocol, never by
 * sleeps: a round trip proves the server has handled everything sent so far (and that its patches
 * written before the reply were applied), and after that every incoming patch re-checks the condition.
 *
 * ```ts
 * await using app = await drive_app({ url: "http://localhost:5006/sliders" })
 * app.set("freq", { value: 2 })
 * await app.until(() => app.get<Div>("label").text === "frequency: 2")
 * ```
 */

import { pull_session } from "../client/session.ts"
import type { ClientSession, PullSessionOptions } from "../client/session.ts"
import { ClientError } from "../core/errors.ts"
import type { HasProps } from "../core/has_props.ts"
import type { Document } from "../document/document.ts"

export interface UntilOptions {
  /** Give up after this many milliseconds (default 5000) with `ClientError` BK_ERR_TIMEOUT. */
  readonly timeout?: number
  /** Shown in the timeout error. */
  readonly message?: string
}

/** A pulled session with helpers for tests. Dispose it (`await using`) or call `close()`. */
export class AppDriver implements AsyncDisposable {
  constructor(readonly session: ClientSession) {}

  /** The session's document (in sync with the server's). */
  get document(): Document {
    const doc = this.session.document
    if (doc === null) throw new ClientError("BK_ERR_NO_DOCUMENT", "the session has no document")
    return doc
  }

  /** The model named `name`; throws BK_ERR_NO_DOCUMENT if there is none (and if several share it). */
  get<T extends HasProps = HasProps>(name: string): T {
    const model = this.document.get_model_by_name(name)
    if (model === null) throw new ClientError("BK_ERR_NO_DOCUMENT", `no model named '${name}' in the session's document`)
    return model as T
  }

  /** Sets properties of the model named `name`; the change goes to the server. */
  set(name: string, values: Record<string, unknown>): void {
    this.get(name).setv(values)
  }

  /**
   * Resolves once `predicate()` holds, checking now, after a round trip to the server, and after every
   * patch from the server. Rejects with BK_ERR_TIMEOUT after `timeout` ms, or with the session's error
   * if the connection is lost first.
   */
  until(predicate: () => boolean, options: UntilOptions = {}): Promise<void> {
    const timeout = options.timeout ?? 5000
    return new Promise<void>((resolve, reject) => {
      let settled = false
      const finish = (error?: Error): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        remove()
        if (error === undefined) resolve()
        else reject(error)
      }
      const check = (): void => {
        if (settled) return
        try {
          if (predicate()) return finish()
        } catch (error) {
          return finish(error as Error)
        }
        if (!this.session.connected) finish(this.session.error ?? new ClientError("BK_ERR_NOT_CONNECTED", "the session disconnected while waiting"))
      }
      const remove = this.session.on_patch(check)
      const timer = setTimeout(() => {
        const what = options.message ?? predicate.toString()
        finish(new ClientError("BK_ERR_TIMEOUT", `until() timed out after ${timeout} ms waiting for: ${what}`))
      }, timeout)
      check()
      if (settled) return
      // The round trip covers reactions to what we sent; patches arriving later wake `check` by themselves.
      this.session.force_roundtrip().then(check, (error: Error) => finish(error))
    })
  }

  /** Waits until the server has processed everything sent so far. */
  sync(): Promise<void> {
    return this.session.force_roundtrip()
  }

  close(): Promise<void> {
    return this.session.close()
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}

/** Pulls a session of the app at `options.url` (see `pull_session`) and wraps it in an `AppDriver`. */
export async function drive_app(options: PullSessionOptions): Promise<AppDriver> {
  return new AppDriver(await pull_session(options))
}

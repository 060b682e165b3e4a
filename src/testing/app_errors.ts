/**
 * Failures of app code as AppTest reports them: the error itself, what failed and what the server was
 * doing, and the app's file, line and column (the deepest frame of the stack that is the app's code,
 * not bokeh-ts's, Node's or a dependency's).
 */
import { fileURLToPath } from "node:url"

import { app_stack, error_repr } from "../core/app_context.ts"
import { BokehError } from "../core/errors.ts"

export interface AppError {
  /** What was thrown (or the rejection reason). */
  readonly error: unknown
  /** `TypeError("boom")`. */
  readonly message: string
  /** The failing app code: "on_change('value') callback update of Slider(id=…)", "periodic callback tick …". */
  readonly where: string
  /** What the server was doing: "handling message PATCH-DOC", "running callback", "creating session", … */
  readonly during: string
  /** The app's file, line and column where it was thrown, when the stack names one. */
  readonly file: string | null
  readonly line: number | null
  readonly column: number | null
  /** The stack down to the app's frame. */
  readonly stack: string
}

const SRC_DIR = fileURLToPath(new URL("..", import.meta.url))
/** `at fn (file:line:col)` or `at file:line:col`. */
const FRAME = /^\s+at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/

/** The first frame of `stack` in app code: not bokeh-ts's sources, Node's internals or node_modules. */
export function app_location(stack: string): { file: string; line: number; column: number } | null {
  for (const text of stack.split("\n")) {
    const m = FRAME.exec(text)
    if (m === null) continue
    let file = m[1]!
    if (file.startsWith("node:") || file.includes("/node_modules/") || file.startsWith("native")) continue
    if (file.startsWith("file://")) {
      try {
        file = fileURLToPath(file.replace(/\?.*$/, ""))
      } catch {
        continue
      }
    }
    file = file.replace(/\?.*$/, "")
    if (file.startsWith(SRC_DIR)) continue
    return { file, line: Number(m[2]), column: Number(m[3]) }
  }
  return null
}

export function app_error(error: unknown, where: string, during: string): AppError {
  const stack = app_stack(error)
  const at = app_location(stack)
  return { error, message: error_repr(error), where, during, file: at?.file ?? null, line: at?.line ?? null, column: at?.column ?? null, stack }
}

/** `examples/app.ts:12:5: on_change('value') callback update of Slider(…) failed while handling message PATCH-DOC: TypeError("boom")`. */
export function describe_app_error(e: AppError, relative_to: string = process.cwd()): string {
  const file = e.file === null ? null : e.file.startsWith(`${relative_to}/`) ? e.file.slice(relative_to.length + 1) : e.file
  const at = file === null ? "" : `${file}:${e.line}:${e.column}: `
  return `${at}${e.where} failed while ${e.during}: ${e.message}`
}

/**
 * App code failed during an AppTest step (code BK_ERR_APP_CALLBACK): `errors` has every failure, and the
 * message names each with the app's file and line. The step itself was still done completely, as the
 * server does it (the patch applied, the other callbacks run).
 */
export class AppCallbackError extends BokehError {
  constructor(
    readonly errors: readonly AppError[],
    step: string,
  ) {
    const lines = errors.map((e) => `  ${describe_app_error(e)}`)
    super("BK_ERR_APP_CALLBACK", `app code failed ${errors.length === 1 ? "" : `${errors.length} times `}during ${step}:\n${lines.join("\n")}`, {
      cause: errors[0]?.error,
    })
  }
}

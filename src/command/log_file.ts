/**
 * `--log-file`: log lines appended to a file, as Python's `logging.basicConfig(filename=...)` does.
 * Writes are synchronous so the lines before a crash or exit are on disk; the server logs a few
 * lines per minute, not per message, so this never costs the event loop anything noticeable.
 */
import { appendFileSync, closeSync, openSync } from "node:fs"

import { CliError, ConfigError } from "../core/errors.ts"

export function file_sink(path: string): (line: string) => void {
  let fd: number
  try {
    fd = openSync(path, "a")
  } catch (error) {
    throw new CliError("BK_ERR_CLI", `--log-file: cannot open ${path}: ${(error as Error).message}`, { cause: error })
  }
  process.once("exit", () => closeSync(fd))
  return (line) => appendFileSync(fd, `${line}\n`)
}

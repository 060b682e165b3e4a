/**
 * `ScriptHandler`: an app written as a TypeScript or JavaScript script that builds `curdoc()`.
 * Transpiled once; its top-level code runs once per session (see code_runner.ts).
 */
import { readFile } from "node:fs/promises"
import { basename, extname, resolve } from "node:path"

import type { Document } from "../../document/document.ts"
import { compile_script, type ScriptBody } from "./code_runner.ts"
import { Handler } from "./handler.ts"

export interface ScriptHandlerOptions {
  /** The script's path (also names the app: `/name` for `name.ts`). */
  readonly filename: string
  /** The source, if not read from `filename` (notebooks pass their code cells). */
  readonly source?: string
  /** Extra command line arguments: `process.argv` is `[node, filename, ...argv]` while the script's synchronous top-level code runs. */
  readonly argv?: readonly string[]
}

export class ScriptHandler extends Handler {
  readonly filename: string
  private readonly _argv: readonly string[]
  private readonly _ready: Promise<void>
  private _body: ScriptBody | null = null

  constructor(options: ScriptHandlerOptions) {
    super()
    this.filename = resolve(options.filename)
    this._argv = options.argv ?? []
    this._ready = this._load(options.source)
  }

  private async _load(source: string | undefined): Promise<void> {
    try {
      const text = source ?? (await readFile(this.filename, "utf8"))
      this._body = await compile_script(text, this.filename)
    } catch (error) {
      this._fail(error, `failed to load ${this.filename}`)
    }
  }

  override async ready(): Promise<void> {
    await this._ready
  }

  async modify_document(_doc: Document): Promise<void> {
    await this._ready
    if (this._body === null) return
    const saved = process.argv
    process.argv = [process.argv[0]!, this.filename, ...this._argv]
    try {
      const run = this._body()
      process.argv = saved
      await run
    } finally {
      process.argv = saved
    }
  }

  override url_path(): string | null {
    return `/${basename(this.filename, extname(this.filename))}`
  }
}

/**
 * `NotebookHandler`: an app in a Jupyter notebook (.ipynb) whose code cells are TypeScript or
 * JavaScript. The code cells, in order, form one script (lines starting with `%` or `!` — magics
 * and shell escapes — are dropped), run like a ScriptHandler's.
 */
import { readFileSync } from "node:fs"
import { basename, resolve } from "node:path"

import { ConfigError } from "../../core/errors.ts"
import type { Document } from "../../document/document.ts"
import { Handler } from "./handler.ts"
import { ScriptHandler } from "./script.ts"

/** The code cells of a notebook as one script. */
export function notebook_source(notebook: unknown): string {
  const cells = (notebook as { cells?: unknown }).cells
  if (!Array.isArray(cells)) throw new ConfigError("BK_ERR_APP_LOAD", "a notebook needs a 'cells' list")
  const parts: string[] = []
  for (const cell of cells as Array<{ cell_type?: unknown; source?: unknown }>) {
    if (cell.cell_type !== "code") continue
    const text = Array.isArray(cell.source) ? cell.source.join("") : typeof cell.source === "string" ? cell.source : ""
    parts.push(
      text
        .split("\n")
        .filter((line) => !/^\s*[%!]/.test(line))
        .join("\n"),
    )
  }
  return parts.join("\n\n")
}

export class NotebookHandler extends Handler {
  readonly filename: string
  private readonly _script: ScriptHandler

  constructor(options: { filename: string; argv?: readonly string[] }) {
    super()
    this.filename = resolve(options.filename)
    let source = ""
    try {
      source = notebook_source(JSON.parse(readFileSync(this.filename, "utf8")))
    } catch (error) {
      this._fail(error, `failed to read notebook ${this.filename}`)
    }
    // The script is named after the notebook with a .ts extension: cells are transpiled as TypeScript.
    this._script = new ScriptHandler({ filename: this.filename.replace(/\.ipynb$/i, ".ts"), source, argv: options.argv ?? [] })
  }

  override get failed(): boolean {
    return this._failed || this._script.failed
  }

  override get error(): string | null {
    return this._error ?? this._script.error
  }

  override get error_detail(): string | null {
    return this._error_detail ?? this._script.error_detail
  }

  override async ready(): Promise<void> {
    await this._script.ready()
  }

  async modify_document(doc: Document): Promise<void> {
    await this._script.modify_document(doc)
  }

  override url_path(): string | null {
    return `/${basename(this.filename).replace(/\.ipynb$/i, "")}`
  }
}

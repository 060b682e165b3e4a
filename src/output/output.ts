/**
 * Where standalone output goes (Python's `bokeh.io.output_file` / `reset_output` and the file part
 * of its `State`): `save()` and `show()` write the HTML file configured here.
 */
import { basename, extname, join, resolve } from "node:path"
import { tmpdir } from "node:os"
import { randomUUID } from "node:crypto"

import { EmbedError } from "../core/errors.ts"
import { bound_document } from "../document/current.ts"
import { Document } from "../document/document.ts"
import { Resources, type StandaloneResourcesMode } from "../embed/standalone_resources.ts"
import { set_curdoc } from "../io/doc.ts"
import { given_setting } from "../settings.ts"

export interface FileConfig {
  readonly filename: string
  readonly resources: Resources
  readonly title: string
}

export interface OutputFileOptions {
  /** The page title (default "Bokeh Plot", as Python). */
  readonly title?: string
  /** Where BokehJS comes from (default `BOKEH_RESOURCES`, else "cdn"). */
  readonly mode?: StandaloneResourcesMode
  /** With mode "relative": the directory paths are relative to (default: the file's directory). */
  readonly root_dir?: string
}

let file_config: FileConfig | null = null

/** Configures `save()`/`show()` to write `filename` (Python's `output_file`). */
export function output_file(filename: string, options: OutputFileOptions = {}): void {
  if (typeof filename !== "string" || filename === "") throw new EmbedError("BK_ERR_EMBED", "output_file needs a file name")
  const path = resolve(filename)
  const mode = options.mode ?? (given_setting("resources") as StandaloneResourcesMode | undefined) ?? "cdn"
  const resources = mode === "relative" ? new Resources({ mode, root_dir: options.root_dir ?? resolve(path, "..") }) : new Resources({ mode })
  file_config = { filename: path, resources, title: options.title ?? "Bokeh Plot" }
}

/** The configured output file, if any. */
export function current_output_file(): FileConfig | null {
  return file_config
}

/**
 * Forgets the output file and starts a new default document, as Python's `reset_output` (inside a
 * server session, curdoc() stays the session's document).
 */
export function reset_output(): void {
  file_config = null
  if (bound_document() === undefined) set_curdoc(new Document())
}

/** Python's `default_filename`: the running script's name with `ext`, else a new temporary file. */
export function default_filename(ext: string): string {
  const script = process.argv[1]
  if (script !== undefined && /\.(m?[jt]s|cjs|cts|mts)$/.test(script) && !script.includes("node_modules")) {
    return resolve(script.slice(0, script.length - extname(script).length) + `.${ext}`)
  }
  return join(tmpdir(), `${basename("bokeh")}-${randomUUID()}.${ext}`)
}

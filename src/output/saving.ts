/** `save()` (Python's `bokeh.io.save`): standalone HTML for an object, written to a file. */
import { writeFileSync } from "node:fs"
import { resolve } from "node:path"

import type { HasProps } from "../core/has_props.ts"
import type { Document } from "../document/document.ts"
import { file_html } from "../embed/standalone.ts"
import { Resources, type StandaloneResourcesMode } from "../embed/standalone_resources.ts"
import { log } from "../util/logging.ts"
import { curdoc } from "../io/doc.ts"
import { current_output_file, default_filename } from "./output.ts"

export interface SaveOptions {
  /** Default: the `output_file` name, else the script's name with .html. */
  readonly filename?: string
  readonly resources?: Resources | StandaloneResourcesMode
  readonly title?: string
  readonly template?: string
  readonly template_variables?: Record<string, unknown>
}

/** Writes `obj` (a model or a Document) as a standalone HTML file; returns its absolute path. */
export function save(obj: HasProps | Document, options: SaveOptions = {}): string {
  const config = current_output_file()
  let filename = options.filename ?? config?.filename
  if (filename === undefined) {
    filename = default_filename("html")
    log.warning(`save() called but no output file given and output_file() not called; using ${filename}`)
  }
  filename = resolve(filename)
  const resources = options.resources ?? config?.resources ?? Resources.build()
  let title = options.title ?? config?.title
  if (title === undefined) {
    title = "Bokeh Plot"
    log.warning("save() called but no title given and output_file() not called; using 'Bokeh Plot'")
  }
  // As Python: the page takes curdoc()'s theme.
  const html = file_html(obj, { resources, title, template: options.template, template_variables: options.template_variables, theme: curdoc().theme })
  writeFileSync(filename, html)
  return filename
}

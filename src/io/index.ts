// The public API is Node's where the server meets it (node:http servers and requests, Buffers, timers):
// @types/node is a dependency, and this keeps it in the emitted .d.ts so a user's project needs no setup.
/// <reference types="node" preserve="true" />
/**
 * `bokeh-ts/io`, as Python's `bokeh.io`: the current document, standalone HTML files (`output_file`,
 * `save`, `show`, `reset_output`) and PNG/SVG export through headless Chromium.
 */
export { curdoc, set_curdoc } from "./doc.ts"
export { output_file, reset_output, current_output_file, default_filename, type OutputFileOptions, type FileConfig } from "../output/output.ts"
export { save, type SaveOptions } from "../output/saving.ts"
export { show, type ShowOptions } from "../output/showing.ts"
export {
  export_png,
  export_svg,
  export_svgs,
  get_layout_html,
  get_screenshot_as_png,
  get_svg,
  get_svgs,
  type ExportOptions,
  type ExportPngOptions,
} from "../output/export.ts"
export { chromium_path, DEFAULT_CHROMIUM, type ExportBrowser } from "../output/webdriver.ts"

/**
 * `bokeh-ts html`: each app's document as a standalone HTML file (Bokeh 2.x's `bokeh html`; Python
 * 3.9's CLI dropped it, its `file_html` is what this writes).
 */
import { pathToFileURL } from "node:url"
import { resolve } from "node:path"

import { get_browser_controller } from "../../client/browser.ts"
import { file_html } from "../../embed/standalone.ts"
import { RESOURCES_MODES, Resources, type StandaloneResourcesMode } from "../../embed/standalone_resources.ts"
import { CliError } from "../../core/errors.ts"
import { parse_file_output_args, write_app_files } from "./file_output.ts"

export const html_help = `usage: bokeh-ts html [-h] [--show] [--resources MODE] [-o FILENAME] DIRECTORY-OR-SCRIPT... [--args ...]

Create standalone HTML files for one or more applications: each app's document, data included, in
a page that loads BokehJS (no server needed; server-side callbacks can't run there).

positional arguments:
  DIRECTORY-OR-SCRIPT   the app directories or scripts to generate HTML for

options:
  -h, --help            show this help message and exit
  --show                open the generated HTML in a browser (BOKEH_BROWSER honoured)
  --resources MODE      where BokehJS comes from: ${RESOURCES_MODES.join(", ")}
                        (default BOKEH_RESOURCES, else cdn; inline makes one self-contained file)
  -o, --output FILENAME name of the output file (once per app, in order) or - for standard
                        output; default <app name>.html in the current directory
  --args ...            any command line arguments remaining are passed on to the application
`

export async function html(argv: readonly string[]): Promise<number> {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(html_help)
    return 0
  }
  const args = parse_file_output_args(argv, ["--resources"], ["--show"])
  const mode = args.options.get("--resources") as StandaloneResourcesMode | undefined
  if (mode !== undefined && !RESOURCES_MODES.includes(mode))
    throw new CliError("BK_ERR_CLI", `--resources must be one of ${RESOURCES_MODES.join(", ")}, got '${mode}'`)
  const resources = Resources.build(mode)
  const written = await write_app_files(args, "html", (doc) => file_html(doc, { resources, title: doc.title }))
  if (args.options.has("--show")) {
    const controller = get_browser_controller()
    for (const file of written) if (file !== "-") await controller.open(pathToFileURL(resolve(file)).href, { new: "tab" })
  }
  return 0
}

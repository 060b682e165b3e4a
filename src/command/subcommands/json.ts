/** `bokeh-ts json`: each app's document as document JSON (Python's `bokeh json`). */
import { CliError } from "../../core/errors.ts"
import { parse_file_output_args, write_app_files } from "./file_output.ts"

export const json_help = `usage: bokeh-ts json [-h] [--indent LEVEL] [-o FILENAME] DIRECTORY-OR-SCRIPT... [--args ...]

Create JSON files for one or more applications: each app's document as Bokeh document JSON
(loadable by BokehJS's Document.from_json or Python's Document.from_json).

positional arguments:
  DIRECTORY-OR-SCRIPT   the app directories or scripts to generate JSON for

options:
  -h, --help            show this help message and exit
  --indent LEVEL        indentation to use when printing
  -o, --output FILENAME name of the output file (once per app, in order) or - for standard
                        output; default <app name>.json in the current directory
  --args ...            any command line arguments remaining are passed on to the application
`

export async function json(argv: readonly string[]): Promise<number> {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(json_help)
    return 0
  }
  const args = parse_file_output_args(argv, ["--indent"], [])
  const level = args.options.get("--indent")
  const indent = level === undefined ? undefined : Number(level)
  if (indent !== undefined && !(Number.isInteger(indent) && indent >= 0)) throw new CliError("BK_ERR_CLI", `--indent must be a whole number, got '${level}'`)
  await write_app_files(args, "json", (doc) => JSON.stringify(doc.to_json(), null, indent))
  return 0
}

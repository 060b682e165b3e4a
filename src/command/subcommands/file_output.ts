/**
 * What `bokeh-ts html` and `bokeh-ts json` share (Python's `FileOutputSubcommand`): app paths in,
 * one file per app out (`-o` names them in order, else `<route>.<ext>`, `index.<ext>` for /, `-` for
 * standard output), `--args` passed on to the apps.
 */
import { writeFileSync } from "node:fs"

import { CliError } from "../../core/errors.ts"
import type { Document } from "../../document/document.ts"
import { build_single_handler_applications, check_applications } from "../util.ts"

export interface FileOutputArgs {
  readonly files: string[]
  readonly outputs: string[]
  readonly app_argv: string[]
  /** Options of the subcommand itself, by name, with their values (flags: ""). */
  readonly options: Map<string, string>
}

/**
 * Parses `FILES... [-o FILE]... [--OPTION [VALUE]]... [--args ...]`; `with_value` names the
 * subcommand's options that take a value, `flags` those that don't.
 */
export function parse_file_output_args(argv: readonly string[], with_value: readonly string[], flags: readonly string[]): FileOutputArgs {
  const files: string[] = []
  const outputs: string[] = []
  const options = new Map<string, string>()
  let app_argv: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === "--args") {
      app_argv = argv.slice(i + 1)
      break
    }
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined]
    if (name === "-o" || name === "--output" || with_value.includes(name)) {
      const value = inline ?? argv[++i]
      if (value === undefined) throw new CliError("BK_ERR_CLI", `${name} needs a value`)
      if (name === "-o" || name === "--output") outputs.push(value)
      else options.set(name, value)
    } else if (flags.includes(name)) options.set(name, "")
    else if (arg.startsWith("-") && arg !== "-") throw new CliError("BK_ERR_CLI", `unknown option ${arg}`)
    else files.push(arg)
  }
  if (files.length === 0) throw new CliError("BK_ERR_CLI", "give at least one app (a script or a directory)")
  return { files, outputs, app_argv, options }
}

/** Python's `filename_from_route`. */
export function filename_from_route(route: string, ext: string): string {
  return `${route === "/" ? "index" : route.slice(1)}.${ext}`
}

/**
 * Builds each app's document and writes `contents(doc)` to its file; resolves with the files
 * written ("-" for standard output).
 */
export async function write_app_files(args: FileOutputArgs, ext: string, contents: (doc: Document) => string): Promise<string[]> {
  const apps = build_single_handler_applications(args.files, args.app_argv)
  const outputs = [...args.outputs]
  if (outputs.length > Object.keys(apps).length) {
    throw new CliError("BK_ERR_CLI", `--output/-o was given too many times (${outputs.length} times for ${Object.keys(apps).length} applications)`)
  }
  await check_applications(apps)
  const written: string[] = []
  for (const [route, app] of Object.entries(apps)) {
    const doc = await app.create_document()
    const filename = outputs.shift() ?? filename_from_route(route, ext)
    const text = contents(doc)
    if (filename === "-") process.stdout.write(`${text}\n`)
    else writeFileSync(filename, text)
    written.push(filename)
  }
  return written
}

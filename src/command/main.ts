/** The `bokeh-ts` command line: `bokeh-ts serve …`, `secret`, `html`, `json`, `info`, `settings`, `static`. */
import { BokehError } from "../core/errors.ts"
import { BOKEHJS_VERSION, VERSION } from "../core/version.ts"
import { secret } from "./subcommands/secret.ts"
import { serve } from "./subcommands/serve.ts"
import { html } from "./subcommands/html.ts"
import { info } from "./subcommands/info.ts"
import { json } from "./subcommands/json.ts"
import { settings } from "./subcommands/settings.ts"
import { static_server } from "./subcommands/static.ts"

const help = `usage: bokeh-ts [-h] [-v] {serve,secret,html,json,info,settings,static} ...

Bokeh's server in TypeScript (bokeh-ts ${VERSION}, BokehJS ${BOKEHJS_VERSION}).

subcommands:
  serve     run Bokeh applications on a Bokeh server
  secret    create a Bokeh secret key for signed sessions
  html      create standalone HTML files for one or more applications
  json      create JSON files for one or more applications
  info      print information about bokeh-ts and its environment
  settings  print the BOKEH_* settings and their current values
  static    serve BokehJS's static assets, no applications

"bokeh-ts <subcommand> --help" describes a subcommand.
`

/** Runs the CLI with `argv` (without node and script); resolves with an exit code, or null while serving. */
export async function main(argv: readonly string[]): Promise<number | null> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case undefined:
      case "-h":
      case "--help":
        process.stdout.write(help)
        return command === undefined ? 1 : 0
      case "-v":
      case "--version":
        process.stdout.write(`${VERSION}\n`)
        return 0
      case "serve":
        await serve(rest)
        return rest.includes("-h") || rest.includes("--help") ? 0 : null
      case "secret":
        return secret(rest)
      case "html":
        return await html(rest)
      case "json":
        return await json(rest)
      case "info":
        return info(rest)
      case "settings":
        return settings(rest)
      case "static":
        return (await static_server(rest)) === null ? 0 : null
      default:
        process.stderr.write(`bokeh-ts: unknown subcommand '${command}'\n\n${help}`)
        return 2
    }
  } catch (error) {
    if (error instanceof BokehError) {
      process.stderr.write(`bokeh-ts: error: ${error.message}\n`)
      return 1
    }
    throw error
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("src/command/main.ts")) {
  void main(process.argv.slice(2)).then((code) => {
    if (code !== null) process.exit(code)
  })
}

/** The `bokeh-ts` command line: `bokeh-ts serve …`, `bokeh-ts secret`. */
import { BokehError } from "../core/errors.ts"
import { BOKEHJS_VERSION, VERSION } from "../core/version.ts"
import { secret } from "./subcommands/secret.ts"
import { serve } from "./subcommands/serve.ts"

const help = `usage: bokeh-ts [-h] [-v] {serve,secret} ...

Bokeh's server in TypeScript (bokeh-ts ${VERSION}, BokehJS ${BOKEHJS_VERSION}).

subcommands:
  serve     run Bokeh applications on a Bokeh server
  secret    create a Bokeh secret key for signed sessions

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

/** `bokeh-ts static`: a server of BokehJS's static files only, no apps (Python's `bokeh static`). */
import { CliError } from "../../core/errors.ts"
import { Server } from "../../server/server.ts"
import { log, log_levels, set_log_level, type LogLevel } from "../../util/logging.ts"

export const static_help = `usage: bokeh-ts static [-h] [--port PORT] [--address ADDRESS] [--log-level LEVEL]

Serve BokehJS's static assets (JavaScript bundles) at /static/, with no applications.

options:
  -h, --help         show this help message and exit
  --port PORT        port to listen on (default 5006; 0 picks a free port)
  --address ADDRESS  address to listen on (default: all interfaces)
  --log-level LEVEL  one of ${log_levels.join(", ")} (default info)
`

/** Starts the static server; resolves with it once it listens (it runs until the process ends). */
export async function static_server(argv: readonly string[]): Promise<Server | null> {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(static_help)
    return null
  }
  const options: { port?: number; address?: string } = {}
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!
    const value = argv[++i]
    if (value === undefined) throw new CliError("BK_ERR_CLI", `${name} needs a value`)
    if (name === "--port") {
      const port = Number(value)
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError("BK_ERR_CLI", `--port must be a port number, got '${value}'`)
      options.port = port
    } else if (name === "--address") options.address = value
    else if (name === "--log-level") {
      if (!(log_levels as readonly string[]).includes(value)) throw new CliError("BK_ERR_CLI", `--log-level must be one of ${log_levels.join(", ")}`)
      set_log_level(value as LogLevel)
    } else throw new CliError("BK_ERR_CLI", `unknown option ${name}`)
  }
  const server = new Server({}, options)
  await server.start()
  log.info(`Starting Bokeh static server at ${server.port}${options.address !== undefined ? ` address ${options.address}` : ""}`)
  return server
}

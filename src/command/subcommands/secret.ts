/** `bokeh-ts secret`: prints a new secret key for BOKEH_SECRET_KEY (signed sessions). */
import { generate_secret_key } from "../../util/token.ts"

export const secret_help = `usage: bokeh-ts secret

Create a Bokeh secret key for use with signed session ids (BOKEH_SECRET_KEY).
`

export function secret(argv: readonly string[]): number {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(secret_help)
    return 0
  }
  process.stdout.write(`${generate_secret_key()}\n`)
  return 0
}

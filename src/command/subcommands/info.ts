/** `bokeh-ts info`: versions and paths useful in bug reports (Python's `bokeh info`). */
import { spawnSync } from "node:child_process"
import { createRequire } from "node:module"
import { arch, platform, release } from "node:os"

import { BOKEHJS_VERSION, VERSION } from "../../core/version.ts"
import { BOKEHJS_STATIC_DIR } from "../../embed/resources.ts"
import { chromium_path } from "../../output/webdriver.ts"

export const info_help = `usage: bokeh-ts info [-h] [--static]

Print information about bokeh-ts and its environment.

options:
  -h, --help  show this help message and exit
  --static    print the locations of BokehJS static files
`

const require = createRequire(import.meta.url)

function package_version(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version
  } catch {
    return "(not installed)"
  }
}

function npm_version(): string {
  const result = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", ["--version"], { encoding: "utf8", timeout: 10000 })
  return result.status === 0 ? result.stdout.trim() : "(not installed)"
}

/** The lines `bokeh-ts info` prints, as `label : value` pairs. */
export function info_rows(): Array<[string, string]> {
  return [
    ["bokeh-ts version", VERSION],
    ["BokehJS version", BOKEHJS_VERSION],
    ["BokehJS static path", BOKEHJS_STATIC_DIR],
    ["node.js version", process.version],
    ["npm version", npm_version()],
    ["playwright-core version", package_version("playwright-core")],
    ["Chromium for exports", chromium_path()],
    ["Operating system", `${platform()}-${release()}-${arch()}`],
  ]
}

export function info(argv: readonly string[]): number {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(info_help)
    return 0
  }
  if (argv.includes("--static")) {
    process.stdout.write(`${BOKEHJS_STATIC_DIR}\n`)
    return 0
  }
  const rows = info_rows()
  const width = Math.max(...rows.map(([label]) => label.length))
  for (const [label, value] of rows) process.stdout.write(`${label.padEnd(width)} :  ${value}\n`)
  return 0
}

/** Versions reported on the wire: the BokehJS build we serve (DocJson.version, SERVER-INFO-REPLY). */
import { createRequire } from "node:module"
import { join } from "node:path"

import { PACKAGE_ROOT } from "./package_paths.ts"

const require = createRequire(import.meta.url)

export const BOKEHJS_VERSION: string = (require("@bokeh/bokehjs/package.json") as { version: string }).version
/** bokeh-ts itself. */
export const VERSION: string = (require(join(PACKAGE_ROOT, "package.json")) as { version: string }).version

/** Versions reported on the wire: the BokehJS build we serve (DocJson.version, SERVER-INFO-REPLY). */
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)

export const BOKEHJS_VERSION: string = (require("@bokeh/bokehjs/package.json") as { version: string }).version
/** bokeh-ts itself. */
export const VERSION: string = (require("../../package.json") as { version: string }).version

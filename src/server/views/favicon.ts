/** `/favicon.ico`: `--ico-path`/`BOKEH_ICO_PATH` when set ("none": 404), else the built-in icon. */
import { readFile } from "node:fs/promises"

import { default_favicon } from "../favicon.ts"
import { text, type HTTPResponse } from "../http.ts"
import type { ViewContext } from "./context.ts"

export async function favicon(context: ViewContext): Promise<HTTPResponse> {
  const setting = context.settings.ico_path
  const ico = context.options.ico_path ?? (setting.startsWith("default") ? undefined : setting)
  if (ico === "none") return text(404, "404: Not Found")
  const body = ico !== undefined ? await readFile(ico) : default_favicon()
  return { status: 200, headers: { "Content-Type": "image/x-icon", "Cache-Control": "max-age=86400" }, body }
}

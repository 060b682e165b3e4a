/**
 * Importing app modules (.ts included) into the SAME module graph as the server, so an app's
 * `import { curdoc } from "bokeh-ts"` reaches the server's own `curdoc()`. (tsx's `tsImport` would
 * load a separate copy of every module.) When the process does not already run under tsx, tsx's
 * loader is registered once, globally.
 */
import { pathToFileURL } from "node:url"

let registered: Promise<void> | null = null

function ensure_loader(): Promise<void> {
  registered ??= (async () => {
    // Under `tsx` or `node --import tsx` TypeScript already loads; don't stack a second loader.
    const has_ts = process.execArgv.some((a) => a.includes("tsx")) || (process.env["NODE_OPTIONS"] ?? "").includes("tsx") || typeof (globalThis as { __tsx_loaded__?: unknown }).__tsx_loaded__ !== "undefined"
    if (has_ts) return
    const { register } = await import("tsx/esm/api")
    register()
    ;(globalThis as { __tsx_loaded__?: unknown }).__tsx_loaded__ = true
  })()
  return registered
}

/** Imports the module at `path` (absolute) in the server's module graph. */
export async function import_module(path: string): Promise<unknown> {
  await ensure_loader()
  return await import(pathToFileURL(path).href)
}

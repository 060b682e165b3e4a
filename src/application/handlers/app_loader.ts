/**
 * Importing app code (scripts, lifecycle modules, auth modules and the local modules they import) into
 * the SAME module graph as the server, so an app's `import { curdoc } from "bokeh-ts"` reaches the
 * server's own `curdoc()`. App modules are compiled in memory by the hooks in app_module_hooks.ts (no
 * file is written anywhere, source maps included). Running from the built package (dist/*.js) nothing
 * else is needed; running from this repo's sources (src/*.ts), those load through tsx, whose loader is
 * registered once, globally, when the process does not already run under it.
 */
import { register } from "node:module"
import { pathToFileURL } from "node:url"
import { MessageChannel } from "node:worker_threads"

import { FROM_SOURCE, own_module_url } from "../../core/package_paths.ts"
import { node_options } from "../../settings.ts"
import type { EntryMessage, HooksData } from "./app_module_hooks.ts"

let registered: Promise<(message: Omit<EntryMessage, "id">) => Promise<void>> | null = null

function has_tsx(): boolean {
  return (
    process.execArgv.some((a) => a.includes("tsx")) ||
    node_options().includes("tsx") ||
    typeof (globalThis as { __tsx_loaded__?: unknown }).__tsx_loaded__ !== "undefined"
  )
}

function ensure_loader(): Promise<(message: Omit<EntryMessage, "id">) => Promise<void>> {
  registered ??= (async () => {
    // Under `tsx` or `node --import tsx` TypeScript already loads; don't stack a second loader.
    if (FROM_SOURCE && !has_tsx()) {
      const tsx = await import("tsx/esm/api")
      tsx.register()
      ;(globalThis as { __tsx_loaded__?: unknown }).__tsx_loaded__ = true
    }
    // Stack traces of app code go through the inline source maps to the user's files and lines.
    process.setSourceMapsEnabled(true)
    const { port1, port2 } = new MessageChannel()
    const data: HooksData = { port: port2, bokeh_ts_url: own_module_url("index") }
    register(own_module_url("application/handlers/app_module_hooks"), { data, transferList: [port2] })
    const pending = new Map<number, () => void>()
    let next_id = 0
    port1.on("message", (id: number) => {
      pending.get(id)?.()
      pending.delete(id)
      if (pending.size === 0) port1.unref()
    })
    port1.unref()
    return (message) =>
      new Promise<void>((resolve) => {
        const id = next_id++
        pending.set(id, resolve)
        port1.ref()
        port1.postMessage({ ...message, id })
      })
  })()
  return registered
}

/** Imports the app module at `path` (absolute), compiled as an ES module whatever its folder's package.json says. */
export async function import_app_module(path: string): Promise<unknown> {
  const send = await ensure_loader()
  const url = pathToFileURL(path).href
  await send({ url })
  return await import(url)
}

/**
 * Starts what loading an app needs (the loader thread; for a TypeScript app, esbuild in both threads), so
 * the first app loads fast.
 */
export async function prepare_app_loading(typescript = true): Promise<void> {
  const send = await ensure_loader()
  if (!typescript) return
  const { transform } = await import("esbuild")
  await Promise.all([send({}), transform("", { loader: "ts" })])
}

let serial = 0

/**
 * Imports `source` (an ES module's text) as if it were the file at `path`: its relative imports resolve
 * from there and its local imports are app modules. Each call makes a new module instance.
 */
export async function import_app_source(path: string, source: string): Promise<unknown> {
  const send = await ensure_loader()
  const url = `${pathToFileURL(path).href}?bokeh-ts-app=${++serial}`
  await send({ url, source })
  return await import(url)
}

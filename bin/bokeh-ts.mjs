#!/usr/bin/env node
// The bokeh-ts command. Installed as a package it runs the built CLI (dist/command/main.js); in this repo's
// checkout (src/ present) it runs the sources through tsx's loader, in this process, so edits need no build.
import { existsSync } from "node:fs"
import module from "node:module"

const source = new URL("../src/command/main.ts", import.meta.url)
let main
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api")
  register()
  globalThis.__tsx_loaded__ = true
  ;({ main } = await import(source.href))
} else {
  // Node >= 22.1 keeps compiled code between runs (a no-op where it is missing).
  module.enableCompileCache?.()
  ;({ main } = await import("../dist/command/main.js"))
}
const code = await main(process.argv.slice(2))
if (code !== null) process.exit(code)

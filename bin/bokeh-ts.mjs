#!/usr/bin/env node
// The bokeh-ts command: runs src/command/main.ts through tsx's loader, in this process.
import { register } from "tsx/esm/api"

register()
globalThis.__tsx_loaded__ = true
const { main } = await import("../src/command/main.ts")
const code = await main(process.argv.slice(2))
if (code !== null) process.exit(code)

#!/usr/bin/env node
// `npm run build` (and `prepare`): dist/ as the package ships it.
// - JavaScript: esbuild bundles src/ from the package's entry points (exports, the CLI, the module hooks
//   that load apps) into a few ES modules with shared chunks and source maps (sources included; bundle.mjs).
//   One file instead of ~540 is what makes start-up fast: Node resolves, reads and compiles each module on its own.
// - Types: tsc emits the .d.ts (tsconfig.build.json); their relative `.ts` specifiers become `.js`, so a
//   user's project reads them without allowImportingTsExtensions.
import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

import { bundle } from "./bundle.mjs"

const root = fileURLToPath(new URL("..", import.meta.url))
const dist = join(root, "dist")
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")

rmSync(dist, { recursive: true, force: true })
const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" })
if (result.status !== 0) process.exit(result.status ?? 1)

/** `"./x.ts"` and `"../y/z.ts"` (in `from`, `import()` and `declare module`) become `.js`; package names stay. */
function rewrite_specifiers(text) {
  return text.replace(/(["'])(\.\.?\/[^"'\n]*?)\.ts\1/g, "$1$2.js$1")
}

function declaration_files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? declaration_files(join(dir, e.name)) : e.name.endsWith(".d.ts") ? [join(dir, e.name)] : [],
  )
}

for (const file of declaration_files(dist)) {
  const text = readFileSync(file, "utf8")
  const rewritten = rewrite_specifiers(text)
  if (rewritten !== text) writeFileSync(file, rewritten)
}

await bundle(dist)

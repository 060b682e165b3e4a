#!/usr/bin/env node
// `npm run build` (and `prepare`): compiles src/ to dist/ (ESM JavaScript, .d.ts, source maps) with tsc.
// tsc rewrites the sources' relative `.ts` import specifiers to `.js` in the JavaScript it emits
// (rewriteRelativeImportExtensions) but keeps them in declaration files, which a user's project could
// then read only with allowImportingTsExtensions: this script rewrites them there too.
import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

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

#!/usr/bin/env node
// `npm run build` (and `prepare`): dist/ as the package ships it.
// - JavaScript: esbuild bundles src/ from the package's entry points (exports, the CLI, the module hooks
//   that load apps) into a few ES modules with shared chunks and source maps (sources included; bundle.mjs).
//   One file instead of ~540 is what makes start-up fast: Node resolves, reads and compiles each module on its own.
// - Types: tsc emits the .d.ts (tsconfig.build.json, incrementally, into node_modules/.cache); dist/ gets them
//   with their relative `.ts` specifiers made `.js`, so a user's project reads them without
//   allowImportingTsExtensions.
// `--if-changed` skips the build when dist/ was built from exactly these inputs (a digest of src/, the build
// scripts and configs, kept in node_modules/.cache so it is never packed): the package test asks for the
// build `prepare` made at `npm ci` and pays for it only when the sources changed since.
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

import { bundle } from "./bundle.mjs"

const root = fileURLToPath(new URL("..", import.meta.url))
const dist = join(root, "dist")
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")

const stamp = join(root, "node_modules", ".cache", "bokeh-ts-build-digest")

/** A digest of every input of the build: what it reads from src/ and how it is configured. */
function inputs_digest() {
  const hash = createHash("sha256")
  const add = (file) =>
    hash
      .update(file)
      .update("\0")
      .update(readFileSync(join(root, file)))
      .update("\0")
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = `${dir}/${e.name}`
      if (e.isDirectory()) walk(rel)
      else add(rel)
    }
  }
  walk("src")
  for (const file of ["scripts/build.mjs", "scripts/bundle.mjs", "tsconfig.json", "tsconfig.build.json", "package.json", "package-lock.json"]) add(file)
  return hash.digest("hex")
}

const digest = inputs_digest()
if (process.argv.includes("--if-changed") && existsSync(join(dist, "index.js")) && existsSync(stamp) && readFileSync(stamp, "utf8") === digest) {
  console.log("dist/ is up to date with src/ (built from the same inputs): nothing to build")
  process.exit(0)
}
rmSync(stamp, { force: true })
rmSync(dist, { recursive: true, force: true })
// tsc emits incrementally into a folder that keeps its state file beside the declarations (removing the
// folder forgets both), so a build after a small change re-checks and re-emits only what the change touches
// (5–10 s of CPU instead of ~20 s); dist/ then gets the declarations of the sources that exist now.
const declarations = join(root, "node_modules", ".cache", "bokeh-ts-declarations")
const result = spawnSync(
  process.execPath,
  [tsc, "-p", join(root, "tsconfig.build.json"), "--outDir", declarations, "--incremental", "--tsBuildInfoFile", join(declarations, ".tsbuildinfo")],
  { stdio: "inherit" },
)
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

for (const file of declaration_files(declarations)) {
  const path = relative(declarations, file)
  // Left there by a source removed since.
  if (!existsSync(join(root, "src", path.replace(/\.d\.ts$/, ".ts")))) continue
  mkdirSync(dirname(join(dist, path)), { recursive: true })
  writeFileSync(join(dist, path), rewrite_specifiers(readFileSync(file, "utf8")))
}

await bundle(dist)
mkdirSync(dirname(stamp), { recursive: true })
writeFileSync(stamp, digest)

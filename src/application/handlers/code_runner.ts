/**
 * Turns a TypeScript/JavaScript app script into a function that runs its top-level code once per
 * session: the script is transpiled ONCE (esbuild, async), its `import` declarations are kept at
 * module level (so imported modules load once and are shared by all sessions, as in Python) and
 * the rest of its top-level code becomes the body of an async function.
 *
 * The module is imported from a hidden file written next to the script for an instant, so relative
 * and package imports resolve exactly as they would from the script itself.
 */
import { randomBytes } from "node:crypto"
import { unlink, writeFile } from "node:fs/promises"
import { basename, dirname, extname, join } from "node:path"

import { transform } from "esbuild"

import { import_module } from "./ts_loader.ts"

/** The per-session entry point of a script: runs its top-level code (may return a promise). */
export type ScriptBody = () => Promise<void>

/** Splits transpiled ESM into module-level import declarations and the remaining top-level code. */
export function split_imports(code: string): { imports: string; body: string } {
  const imports: string[] = []
  const body: string[] = []
  const lines = code.split("\n")
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    // esbuild prints top-level statements at column 0 and nested code indented, so a column-0
    // `import` (not `import(` or `import.meta`) is a declaration.
    if (/^import(\s|\{|\*|")/.test(line)) {
      let statement = line
      while (!statement.trimEnd().endsWith(";") && i + 1 < lines.length) statement += `\n${lines[++i]!}`
      imports.push(statement)
    } else if (/^export\s*\{[^}]*\}\s*(from\s*"[^"]*")?;?\s*$/.test(line)) {
      continue // re-exports mean nothing for an app script
    } else if (/^export default /.test(line)) {
      body.push(line.replace(/^export default /, "void "))
    } else if (/^export /.test(line)) {
      body.push(line.replace(/^export /, ""))
    } else {
      body.push(line)
    }
  }
  return { imports: imports.join("\n"), body: body.join("\n") }
}

/**
 * Transpiles `source` (TypeScript when `filename` ends in .ts/.tsx/.mts, else JavaScript) and
 * returns the per-session function. Throws with esbuild's message on syntax errors.
 */
export async function compile_script(source: string, filename: string): Promise<ScriptBody> {
  const ext = extname(filename).toLowerCase()
  const loader = ext === ".ts" || ext === ".mts" || ext === ".cts" ? "ts" : ext === ".tsx" ? "tsx" : "js"
  const { code } = await transform(source, {
    loader,
    format: "esm",
    target: "es2022",
    sourcefile: filename,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: false } },
  })
  const { imports, body } = split_imports(code)
  const module_text = `${imports}\nexport default async function __bokeh_app_script__() {\n${body}\n}\n`
  const hidden = join(dirname(filename), `.${basename(filename)}.bokeh-ts-${randomBytes(6).toString("hex")}.mjs`)
  await writeFile(hidden, module_text)
  try {
    const module = (await import_module(hidden)) as { default: ScriptBody }
    return module.default
  } finally {
    await unlink(hidden).catch(() => {})
  }
}

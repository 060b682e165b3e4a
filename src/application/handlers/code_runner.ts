/**
 * Turns a TypeScript/JavaScript app script into a function that runs its top-level code once per
 * session: the script is transpiled ONCE (esbuild, async), its `import` declarations are kept at
 * module level (so imported modules load once and are shared by all sessions, as in Python) and
 * the rest of its top-level code becomes the body of an async function.
 *
 * The module is compiled in memory and imported as if it were the script itself (see app_loader.ts), so
 * relative and package imports resolve exactly as they would from the script, nothing is written to
 * disk, and its source map (kept line for line, see `wrap_script`) makes stack traces name the script's
 * own lines.
 */
import { extname } from "node:path"

import { import_app_source } from "./app_loader.ts"
import { cached_transform } from "./compile_cache.ts"
import { wrap_js_script } from "./js_script.ts"

/** The per-session entry point of a script: runs its top-level code (may return a promise). */
export type ScriptBody = () => Promise<void>

/**
 * Splits transpiled ESM into module-level import declarations and the remaining top-level code. The
 * body keeps every line where it was (an import becomes blank lines, `export ` becomes spaces), so a
 * source map of `code` stays true for the body line for line and column for column.
 */
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
      body.push("")
      while (!statement.trimEnd().endsWith(";") && i + 1 < lines.length) {
        statement += `\n${lines[++i]!}`
        body.push("")
      }
      imports.push(statement)
    } else if (/^export\s*\{[^}]*\}\s*(from\s*"[^"]*")?;?\s*$/.test(line)) {
      body.push("") // re-exports mean nothing for an app script
    } else if (/^export default /.test(line)) {
      body.push(line.replace(/^export default /, "void           "))
    } else if (/^export /.test(line)) {
      body.push(line.replace(/^export /, "       "))
    } else {
      body.push(line)
    }
  }
  return { imports: imports.join("\n"), body: body.join("\n") }
}

const SCRIPT_FUNCTION = "__bokeh_app_script__"

/**
 * The module text for transpiled `code` and its source map: line 1 opens the per-session function,
 * the body follows line for line, the imports come last (import declarations are hoisted, so where
 * they stand does not matter). The map gains one empty line in front and is inlined.
 */
export function wrap_script(code: string, map: string): string {
  const { imports, body } = split_imports(code.replace(/\n\/\/# sourceMappingURL=.*\n?$/, "\n"))
  const source_map = JSON.parse(map) as { mappings: string }
  source_map.mappings = `;${source_map.mappings}`
  const inline = Buffer.from(JSON.stringify(source_map)).toString("base64")
  return `export default async function ${SCRIPT_FUNCTION}() {\n${body}\n}\n${imports}\n//# sourceMappingURL=data:application/json;base64,${inline}\n`
}

/**
 * Transpiles `source` (TypeScript when `filename` ends in .ts/.tsx/.mts, JSX for .jsx/.tsx) and
 * returns the per-session function; plain JavaScript (.js, .mjs) needs no compiler (see js_script.ts).
 * Throws with a `file:line:col` message on syntax errors.
 */
export async function compile_script(source: string, filename: string): Promise<ScriptBody> {
  const ext = extname(filename).toLowerCase()
  const module_text = ext === ".js" || ext === ".mjs" ? wrap_js_script(source, filename) : await compile_with_esbuild(source, filename, ext)
  const module = (await import_app_source(filename, module_text)) as { default: ScriptBody }
  return module.default
}

async function compile_with_esbuild(source: string, filename: string, ext: string): Promise<string> {
  const loader = ext === ".ts" || ext === ".mts" || ext === ".cts" ? "ts" : ext === ".tsx" ? "tsx" : ext === ".jsx" ? "jsx" : "js"
  // esbuild loads on first use (a JavaScript app never starts it), and not at all when cached.
  const { code, map } = await cached_transform(source, {
    loader,
    format: "esm",
    target: "node20",
    sourcefile: filename,
    sourcemap: "external",
    sourcesContent: true,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: false } },
  })
  return wrap_script(code, map)
}

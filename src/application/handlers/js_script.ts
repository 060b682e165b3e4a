/**
 * A plain JavaScript app script (`.js`, `.mjs`) turned into the per-session module code_runner.ts runs,
 * without a compiler: acorn parses it, its import declarations move to module level and the rest stays
 * where it was, character for character (imports and `export` keywords become spaces, newlines kept). So
 * no source map is needed: every line keeps its number, and `sourceURL` names the user's file in stack
 * traces. TypeScript scripts go through esbuild instead (code_runner.ts); a JavaScript app loads neither
 * esbuild nor tsx.
 */
import { parse, type Program } from "acorn"

/** What a failed parse reports: esbuild's message shape, so load_error.ts prints both alike. */
interface ParseFailure {
  readonly text: string
  readonly location: { file: string; line: number; column: number; lineText: string }
}

function syntax_error(error: unknown, source: string, filename: string): Error {
  const { message, loc } = error as { message: string; loc?: { line: number; column: number } }
  if (loc === undefined) return error as Error
  const text = message.replace(/ \(\d+:\d+\)$/, "")
  const failure: ParseFailure = { text, location: { file: filename, line: loc.line, column: loc.column, lineText: source.split("\n")[loc.line - 1] ?? "" } }
  return Object.assign(new SyntaxError(`${filename}:${loc.line}:${loc.column + 1}: ${text}`), { errors: [failure] })
}

/** `chars` with [start, end) replaced by spaces (newlines kept), then `text` written at `start`. */
function blank(chars: string[], start: number, end: number, text = ""): void {
  for (let i = start; i < end; i++) if (chars[i] !== "\n" && chars[i] !== "\r") chars[i] = " "
  for (let i = 0; i < text.length; i++) chars[start + i] = text[i]!
}

/**
 * Splits a JavaScript module into its import declarations and its other top-level code, which keeps every
 * character's line and column. Throws a SyntaxError (with esbuild-like `errors`) on invalid code.
 */
export function split_js_module(source: string, filename: string): { imports: string; body: string } {
  let program: Program
  try {
    program = parse(source, { ecmaVersion: "latest", sourceType: "module", allowHashBang: true })
  } catch (error) {
    throw syntax_error(error, source, filename)
  }
  // UTF-16 code units, as acorn's offsets count them.
  const chars = source.split("")
  const imports: string[] = []
  if (source.startsWith("#!")) blank(chars, 0, source.indexOf("\n") < 0 ? source.length : source.indexOf("\n"))
  for (const node of program.body) {
    switch (node.type) {
      case "ImportDeclaration":
        imports.push(source.slice(node.start, node.end))
        blank(chars, node.start, node.end)
        break
      case "ExportNamedDeclaration":
        // `export const x = 1` runs as `const x = 1`; `export { x }` means nothing for an app script.
        if (node.declaration) blank(chars, node.start, node.declaration.start)
        else blank(chars, node.start, node.end)
        break
      case "ExportAllDeclaration":
        blank(chars, node.start, node.end)
        break
      case "ExportDefaultDeclaration":
        blank(chars, node.start, node.declaration.start, "void")
        break
      default:
        break
    }
  }
  return { imports: imports.join("\n"), body: chars.join("") }
}

const SCRIPT_FUNCTION = "__bokeh_app_script__"

/**
 * The module text for a JavaScript app script: its top-level code becomes the body of the default-exported
 * async function, opened on line 1 in front of the script's first line (so lines keep their numbers), and
 * its imports follow the function.
 */
export function wrap_js_script(source: string, filename: string): string {
  const { imports, body } = split_js_module(source, filename)
  return `export default async function ${SCRIPT_FUNCTION}() {${body}\n}\n${imports}\n//# sourceURL=${filename}\n`
}

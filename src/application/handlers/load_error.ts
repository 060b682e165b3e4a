/**
 * How an app's load failure reads: a syntax error (esbuild's, from the script or any module it imports)
 * as `file:line:col: message` with the line and a caret, as a compiler prints it; anything else as its
 * message, with its stack (source-mapped to the user's files) as the detail.
 */

interface EsbuildMessage {
  text: string
  location: { file: string; line: number; column: number; lineText: string } | null
}

function esbuild_messages(error: unknown): EsbuildMessage[] | null {
  const errors = (error as { errors?: unknown } | null)?.errors
  if (!Array.isArray(errors) || errors.length === 0) return null
  return errors.every((e) => typeof (e as { text?: unknown }).text === "string") ? (errors as EsbuildMessage[]) : null
}

/** `file:line:col: message` (1-based line and column) followed by the source line and a caret. */
export function format_syntax_error(message: EsbuildMessage): string {
  const at = message.location
  if (at === null) return message.text
  return `${at.file}:${at.line}:${at.column + 1}: ${message.text}\n    ${at.lineText}\n    ${" ".repeat(at.column)}^`
}

/** The one-paragraph description and the detail (stack) of a load failure. */
export function describe_load_error(error: unknown): { message: string; detail: string | null } {
  const syntax = esbuild_messages(error)
  if (syntax !== null) return { message: syntax.map(format_syntax_error).join("\n"), detail: null }
  if (error instanceof Error) return { message: error.message, detail: error.stack ?? null }
  return { message: String(error), detail: null }
}

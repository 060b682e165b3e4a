/**
 * A declarative command-line option table: each option is spelled once, as one entry that gives its
 * flag, how many values it takes, its help text, how its text becomes a typed value, and what that
 * value means to the program (`map`). Parsing, `--help` and the typed result all come from the table.
 *
 * Arity, following `bokeh serve`'s argparse options:
 * - "flag":   `--show`, true when present;
 * - "one":    `--port 5006` or `--port=5006`, the last one wins;
 * - "repeat": `--allow-websocket-origin A --allow-websocket-origin B`, one value each time;
 * - "list":   `--include-headers A B C`, values up to the next `--option` (repeatable; `--dev` may take none).
 * A bare argument is positional; `--args` ends parsing and hands the rest to the apps.
 */
import { CliError } from "../core/errors.ts"

export type Arity = "flag" | "one" | "repeat" | "list"

/** The text an option was given: true for a flag, a string for "one", a list for "repeat" and "list". */
export type RawValue = true | string | readonly string[]

export interface OptionSpec<T, M> {
  readonly arity: Arity
  /** What the value is called in --help (`PORT`, `NAME ...`); none for flags. */
  readonly metavar?: string
  /** One or more sentences; --help wraps them. */
  readonly help: string
  /** A short alias (`-h`). */
  readonly alias?: string
  /** The typed value of the given text; throws CliError (with `flag` in the message) when it is not valid. */
  parse(raw: RawValue, flag: string): T
  /** What a given value means to the program (e.g. server options); optional for options read directly. */
  map?(value: T): M
}

export type OptionTable<M> = Readonly<Record<string, OptionSpec<unknown, M>>>

export type ValueOf<S> = S extends OptionSpec<infer T, unknown> ? T : never

/** Parsed command line: positional arguments, the raw text of each given option, and what follows `--args`. */
export interface ParsedArgs {
  readonly files: string[]
  readonly app_argv: string[]
  readonly options: Record<string, RawValue>
}

/** Splits `argv` by the table; unknown options and missing values are CliErrors. */
export function parse_args<M>(table: OptionTable<M>, argv: readonly string[], command: string): ParsedArgs {
  const files: string[] = []
  const options: Record<string, RawValue> = {}
  const aliases = new Map(Object.entries(table).flatMap(([name, spec]) => (spec.alias !== undefined ? [[spec.alias, name] as const] : [])))
  let app_argv: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === "--args") {
      app_argv = argv.slice(i + 1)
      break
    }
    const alias = aliases.get(arg)
    if (!arg.startsWith("--") && alias === undefined) {
      files.push(arg)
      continue
    }
    let name = alias ?? arg.slice(2)
    let inline: string | undefined
    const eq = name.indexOf("=")
    if (alias === undefined && eq >= 0) {
      inline = name.slice(eq + 1)
      name = name.slice(0, eq)
    }
    const spec = Object.hasOwn(table, name) ? table[name]! : undefined
    if (spec === undefined) throw new CliError("BK_ERR_CLI", `unknown option --${name}; see bokeh-ts ${command} --help`)
    const previous = options[name]
    const before = Array.isArray(previous) ? (previous as readonly string[]) : []
    switch (spec.arity) {
      case "flag":
        options[name] = true
        break
      case "list": {
        const values: string[] = inline !== undefined ? [inline] : []
        while (inline === undefined && i + 1 < argv.length && !argv[i + 1]!.startsWith("--")) values.push(argv[++i]!)
        options[name] = [...before, ...values]
        break
      }
      case "one":
      case "repeat": {
        const value = inline ?? argv[++i]
        if (value === undefined) throw new CliError("BK_ERR_CLI", `--${name} needs a value`)
        options[name] = spec.arity === "one" ? value : [...before, value]
        break
      }
    }
  }
  return { files, app_argv, options }
}

/** The typed value of option `name`, or undefined when it was not given. */
export function option_value<M, Table extends OptionTable<M>, K extends keyof Table & string>(
  table: Table,
  args: ParsedArgs,
  name: K,
): ValueOf<Table[K]> | undefined {
  const raw = args.options[name]
  return raw === undefined ? undefined : (table[name]!.parse(raw, `--${name}`) as ValueOf<Table[K]>)
}

/** What every given option maps to, in table order. */
export function mapped_values<M>(table: OptionTable<M>, args: ParsedArgs): M[] {
  const out: M[] = []
  for (const [name, spec] of Object.entries(table)) {
    const raw = args.options[name]
    if (raw === undefined || spec.map === undefined) continue
    out.push(spec.map(spec.parse(raw, `--${name}`)))
  }
  return out
}

const FLAG_COLUMN = 36
const WIDTH = 100

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ""
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line === "" ? word : `${line} ${word}`
  }
  if (line !== "") lines.push(line)
  return lines
}

/** The "options:" part of --help: one entry per option, help wrapped beside its flag. */
export function options_help<M>(table: OptionTable<M>): string {
  const out: string[] = []
  for (const [name, spec] of Object.entries(table)) {
    const flag = `  ${spec.alias !== undefined ? `${spec.alias}, ` : ""}--${name}${spec.metavar !== undefined ? ` ${spec.metavar}` : ""}`
    const lines = wrap(spec.help, WIDTH - FLAG_COLUMN)
    const pad = " ".repeat(FLAG_COLUMN)
    if (flag.length + 1 > FLAG_COLUMN) out.push(flag, ...lines.map((l) => pad + l))
    else out.push(flag.padEnd(FLAG_COLUMN) + (lines[0] ?? ""), ...lines.slice(1).map((l) => pad + l))
  }
  return `${out.join("\n")}\n`
}

// Parsers for common kinds of values.

/** Text as given. */
export function text(raw: RawValue, flag: string): string {
  if (typeof raw !== "string") throw new CliError("BK_ERR_CLI", `${flag} takes one value`)
  return raw
}

/** A list of texts. */
export function texts(raw: RawValue, flag: string): readonly string[] {
  if (!Array.isArray(raw)) throw new CliError("BK_ERR_CLI", `${flag} takes a list of values`)
  return raw as readonly string[]
}

/** True (a flag). */
export function flag(): true {
  return true
}

/** An integer in `[min, max]`. */
export function integer(min: number, max = Infinity): (raw: RawValue, flag: string) => number {
  return (raw, flag) => {
    const n = Number(text(raw, flag))
    if (!Number.isInteger(n) || n < min || n > max)
      throw new CliError("BK_ERR_CLI", `${flag} must be an integer >= ${min}${max < Infinity ? ` and <= ${max}` : ""}, got ${String(raw)}`)
    return n
  }
}

/** One of `choices`. */
export function choice<const C extends string>(choices: readonly C[], separator = ", "): (raw: RawValue, flag: string) => C {
  return (raw, flag) => {
    const value = text(raw, flag)
    if (!(choices as readonly string[]).includes(value))
      throw new CliError("BK_ERR_CLI", `${flag} must be ${choices.length === 2 ? choices.join(" or ") : `one of ${choices.join(separator)}`}, got ${value}`)
    return value as C
  }
}

/**
 * Reads standalone output (ours or Python's) back into structure: the docs JSON and render items the
 * page hands to `Bokeh.embed.embed_items` (found by running its inline scripts against a stub Bokeh),
 * the root divs, the script sources, and documents with ids renamed canonically so two outputs of the
 * same document compare equal although their ids differ.
 */
import vm from "node:vm"

export interface EmbedCall {
  readonly docs_json: Record<string, Record<string, unknown>>
  readonly render_items: Array<Record<string, unknown>>
}

/** Unescapes what Python's `html.escape` and its JS-string quoting did (BokehJS's `_unescape`). */
function unescape_html(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
}

/** Runs inline scripts with a stub BokehJS; returns what they passed to `embed_items`. */
export function run_embed_scripts(scripts: readonly string[], json_by_id: ReadonlyMap<string, string> = new Map()): EmbedCall[] {
  const calls: EmbedCall[] = []
  const Bokeh = {
    safely: (fn: () => void) => fn(),
    set_log_level: () => {},
    embed: {
      embed_items: (docs: unknown, items: unknown) => {
        const docs_json = typeof docs === "string" ? JSON.parse(unescape_html(docs)) : docs
        calls.push({ docs_json: JSON.parse(JSON.stringify(docs_json)), render_items: JSON.parse(JSON.stringify(items)) })
      },
    },
  }
  const context: Record<string, unknown> = {
    Bokeh,
    console,
    setInterval,
    clearInterval,
    document: {
      readyState: "complete",
      addEventListener: () => {},
      getElementById: (id: string) => (json_by_id.has(id) ? { textContent: json_by_id.get(id) } : null),
    },
  }
  context["window"] = context
  vm.createContext(context)
  for (const s of scripts) vm.runInContext(s, context)
  return calls
}

export interface ParsedPage {
  readonly title: string | null
  readonly script_srcs: string[]
  readonly integrity: string[]
  readonly divs: Array<{ id: string; root_id: string | null }>
  readonly calls: EmbedCall[]
}

const SCRIPT = /<script([^>]*)>([\s\S]*?)<\/script>/g

export function parse_divs(html: string): Array<{ id: string; root_id: string | null }> {
  return [...html.matchAll(/<div id="([^"]+)"(?: data-root-id="([^"]+)")? style="display: contents;"><\/div>/g)].map((m) => ({
    id: m[1]!,
    root_id: m[2] ?? null,
  }))
}

export function parse_page(html: string): ParsedPage {
  const json_by_id = new Map<string, string>()
  const code: string[] = []
  const script_srcs: string[] = []
  const integrity: string[] = []
  for (const m of html.matchAll(SCRIPT)) {
    const attrs = m[1]!
    const src = /src="([^"]+)"/.exec(attrs)
    if (src !== null) {
      script_srcs.push(src[1]!)
      const sri = /integrity="([^"]+)"/.exec(attrs)
      if (sri !== null) integrity.push(sri[1]!)
      continue
    }
    if (/type="application\/json"/.test(attrs)) json_by_id.set(/id="([^"]+)"/.exec(attrs)![1]!, m[2]!)
    else code.push(m[2]!)
  }
  const title = /<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? null
  return { title, script_srcs, integrity, divs: parse_divs(html), calls: run_embed_scripts(code, json_by_id) }
}

/** The scripts' code inside `<script>` elements of an HTML fragment (`components()`'s script). */
export function script_bodies(html: string): string[] {
  return [...html.matchAll(SCRIPT)].map((m) => m[2]!)
}

/**
 * A document JSON with ids renamed in order of first appearance (roots first, then config) and the
 * version dropped: two serializations of the same document compare equal.
 */
export function canonical_doc(doc: Record<string, unknown>, ids: Map<string, string> = new Map()): Record<string, unknown> {
  const rename = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rename)
    if (value === null || typeof value !== "object") return value
    const obj = value as Record<string, unknown>
    const out: Record<string, unknown> = {}
    if ((obj["type"] === "object" || obj["type"] === "ref") && typeof obj["id"] === "string") {
      if (!ids.has(obj["id"])) ids.set(obj["id"], `m${ids.size}`)
    }
    for (const key of Object.keys(obj).sort())
      out[key] = key === "id" && typeof obj[key] === "string" && ids.has(obj[key]) ? ids.get(obj[key]) : rename(obj[key])
    return out
  }
  const { version: _version, ...rest } = doc
  return { roots: rename(rest["roots"]), config: rename(rest["config"]), title: rest["title"], callbacks: rename(rest["callbacks"] ?? null) }
}

/** A render item's shape, ids mapped through `ids` (model ids) and element ids by position. */
export function canonical_item(item: Record<string, unknown>, ids: ReadonlyMap<string, string>): unknown {
  const roots = item["roots"] as Record<string, string>
  return {
    keys: Object.keys(item).sort(),
    roots: Object.keys(roots).map((id) => ids.get(id) ?? `unknown:${id}`),
    root_ids: (item["root_ids"] as string[]).map((id) => ids.get(id) ?? `unknown:${id}`),
  }
}

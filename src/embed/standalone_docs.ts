/**
 * The documents behind standalone output (Python's `bokeh.embed.util`): which document the given
 * models are serialized as, its JSON, and the render items telling BokehJS which root goes where.
 *
 * As Python's `OutputDocumentFor`: models without a document get a new one (and keep it); the full
 * set of one document's roots is that document; any other set (a subset of roots, models of several
 * documents) is serialized as a temporary document of just those roots, leaving the models where
 * they are (our models belong to one document, so the temporary one is only ever JSON).
 */
import { randomUUID } from "node:crypto"

import { EmbedError } from "../core/errors.ts"
import { HasProps } from "../core/has_props.ts"
import { resolve_model_class } from "../core/registry.ts"
import { Serializer } from "../core/serialization/serializer.ts"
import { BOKEHJS_VERSION } from "../core/version.ts"
import { Document, DEFAULT_TITLE } from "../document/document.ts"
import type { DocJson } from "../document/json.ts"
import { resolve_theme } from "../document/theme.ts"
import { curdoc } from "../io/doc.ts"
import { log } from "../util/logging.ts"
import type { BuiltinThemeName, Theme } from "../themes/main.ts"

/** As Python's `FromCurdoc`: a theme argument meaning "curdoc()'s theme". */
export const FromCurdoc: unique symbol = Symbol("FromCurdoc")
/** A theme argument: null/undefined keeps the document's own theme. */
export type ThemeLike = Theme | BuiltinThemeName | typeof FromCurdoc | null | undefined

/** Python's `make_globally_unique_id`. */
export function make_globally_unique_id(): string {
  return randomUUID()
}

/** Python's `make_globally_unique_css_safe_id`: a UUID starting with a letter (usable as a CSS id). */
export function make_globally_unique_css_safe_id(): string {
  for (let i = 0; i < 100; i++) {
    const id = randomUUID()
    if (/^[a-z]/i.test(id)) return id
  }
  return `bk-${randomUUID()}`
}

/** One root in a render item (Python's `RenderRoot`): where it goes and how users may find it. */
export interface RenderRoot {
  readonly elementid: string
  readonly id: string
  readonly name: string
  readonly tags: readonly unknown[]
}

/** What `Bokeh.embed.embed_items` gets for one document (Python's `RenderItem.to_json()`). */
export interface RenderItemJson {
  docid: string
  roots: Record<string, string>
  root_ids: string[]
}

export interface RenderItem {
  readonly docid: string
  /** The roots in order; also reachable by name (`roots.my_plot`), as Python's `RenderRoots`. */
  readonly roots: RenderRoot[] & Record<string, RenderRoot>
  to_json(): RenderItemJson
}

export function render_root(model: HasProps, elementid: string): RenderRoot {
  const { name, tags } = model as unknown as { name?: unknown; tags?: unknown }
  return { elementid, id: model.id, name: typeof name === "string" ? name : "", tags: Array.isArray(tags) ? tags : [] }
}

function make_render_item(docid: string, entries: ReadonlyArray<[HasProps, string]>): RenderItem {
  const roots = [] as unknown as RenderRoot[] & Record<string, RenderRoot>
  for (const [model, elementid] of entries) {
    const root = render_root(model, elementid)
    roots.push(root)
    if (root.name !== "" && !Object.hasOwn(roots, root.name)) roots[root.name] = root
  }
  return {
    docid,
    roots,
    to_json: () => ({ docid, roots: Object.fromEntries(roots.map((r) => [r.id, r.elementid])), root_ids: roots.map((r) => r.id) }),
  }
}

/** Models or documents as standalone functions accept them. */
export type ModelLike = HasProps | Document

export function check_models(models: unknown, what: string): ModelLike[] {
  const list = models instanceof HasProps || models instanceof Document ? [models] : models
  if (!Array.isArray(list) || list.length === 0 || !list.every((m) => m instanceof HasProps || m instanceof Document)) {
    throw new EmbedError("BK_ERR_EMBED", `${what} expects a model, a Document, or a non-empty list of them`)
  }
  return list as ModelLike[]
}

/** A document to serialize: a real one, or the temporary one made of `roots`. */
export interface OutputDocument {
  readonly doc: Document | null
  readonly roots: readonly HasProps[]
  readonly title: string
}

/**
 * Finds the document to serialize `models` as (Python's `OutputDocumentFor`), runs `fn` with the
 * theme applied (a given theme replaces the document's for the duration, as in Python), and restores.
 */
export function with_output_document<T>(models: readonly HasProps[], theme: ThemeLike, fn: (out: OutputDocument) => T, always_new = false): T {
  if (models.length === 0) throw new EmbedError("BK_ERR_EMBED", "standalone output needs at least one model")
  const docs = new Set<Document>()
  for (const m of models) if (m.document !== null) docs.add(m.document as Document)
  let out: OutputDocument
  if (always_new) {
    // Python's `_always_new` (exports): a temporary document even for models that have none.
    const doc = docs.size === 1 ? [...docs][0]! : null
    out = { doc: null, roots: models, title: doc?.title ?? DEFAULT_TITLE }
  } else if (docs.size === 0) {
    const doc = new_doc()
    for (const m of models) doc.add_root(m)
    out = { doc, roots: doc.roots, title: doc.title }
  } else if (docs.size === 1 && same_set(models, [...docs][0]!.roots)) {
    const doc = [...docs][0]!
    out = { doc, roots: doc.roots, title: doc.title }
  } else {
    out = { doc: null, roots: models, title: DEFAULT_TITLE }
  }
  if (theme === null || theme === undefined) return fn(out)
  const temp = theme === FromCurdoc ? curdoc().theme : resolve_theme(theme)
  if (out.doc !== null) {
    const doc = out.doc
    const before = doc.theme
    doc.theme = temp
    try {
      return fn(out)
    } finally {
      doc.theme = before
    }
  }
  const touched = new Set<HasProps>()
  for (const root of out.roots) for (const m of root.references()) touched.add(m)
  for (const m of touched) temp.apply_to_model(m)
  try {
    return fn(out)
  } finally {
    for (const m of touched) {
      const owner = m.document as Document | null
      if (owner !== null) owner.theme.apply_to_model(m)
      else m.unapply_theme()
    }
  }
}

function same_set(a: readonly HasProps[], b: readonly HasProps[]): boolean {
  const sa = new Set(a)
  const sb = new Set(b)
  return sa.size === sb.size && [...sa].every((m) => sb.has(m))
}

/** A new document carrying curdoc()'s document-level JS callbacks, as Python's `_new_doc`. */
function new_doc(): Document {
  const doc = new Document()
  for (const [name, list] of curdoc().js_event_callbacks) doc.js_event_callbacks.set(name, [...list])
  return doc
}

/**
 * The document JSON of an output document (numeric arrays inline as base64, as Python's
 * `deferred=False`). Written with our own serializer rather than `Document.to_json`, which also
 * records what a live session's peers know: rendering a session's document must not change that.
 */
export function output_doc_json(out: OutputDocument): DocJson {
  const s = new Serializer({ arrays: "base64" })
  const json: DocJson = { version: BOKEHJS_VERSION, title: out.title, roots: out.roots.map((r) => s.encode(r)) }
  const config = out.doc !== null ? (out.doc.config ??= new_config()) : new_config()
  json.config = s.encode(config)
  const callbacks = (out.doc ?? curdoc()).js_event_callbacks
  if (callbacks.size > 0) json.callbacks = Object.fromEntries([...callbacks].map(([name, list]) => [name, list.map((cb) => s.encode(cb))]))
  return json
}

function new_config(): HasProps {
  return new (resolve_model_class("DocumentConfig") as new () => HasProps)()
}

const CALLBACKS_WARNING = `You are generating standalone HTML/JS output, but trying to use real server-side
callbacks (i.e. with on_change or on_event). This combination cannot work.
Only JavaScript callbacks (CustomJS) may be used with standalone output; to use
real callbacks, run the app on a Bokeh server (bokeh-ts serve).`

function has_server_callbacks(roots: readonly HasProps[]): boolean {
  for (const root of roots) {
    for (const m of root.references()) {
      const cbs = (m as unknown as { _callbacks?: Map<string, unknown[]> })._callbacks
      if (cbs !== undefined && [...cbs.values()].some((l) => l.length > 0)) return true
    }
  }
  return false
}

export interface DocsJsonAndRenderItems {
  readonly docs_json: Record<string, DocJson>
  readonly render_items: RenderItem[]
}

/**
 * Python's `standalone_docs_json_and_render_items` for one output document: its JSON under a fresh
 * doc id, and one render item placing each root into a fresh element id.
 */
export function standalone_docs_json_and_render_items(
  out: OutputDocument,
  options: { suppress_callback_warning?: boolean; title?: string } = {},
): DocsJsonAndRenderItems {
  if (options.suppress_callback_warning !== true && has_server_callbacks(out.roots)) log.warning(CALLBACKS_WARNING)
  const docid = make_globally_unique_id()
  const json = output_doc_json(out)
  if (options.title !== undefined) json.title = options.title
  const item = make_render_item(
    docid,
    out.roots.map((r) => [r, make_globally_unique_css_safe_id()]),
  )
  return { docs_json: { [docid]: json }, render_items: [item] }
}

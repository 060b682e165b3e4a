/**
 * Standalone output, as Python's `bokeh.embed`: `file_html` (a whole HTML page), `components`
 * (a script and divs for your own page), `json_item` (JSON for `Bokeh.embed.embed_item`) and
 * `autoload_static` (a script file that loads BokehJS and renders where its tag is). The data goes
 * into the output; no server is involved.
 */
import nunjucks from "nunjucks"

import { EmbedError } from "../core/errors.ts"
import { HasProps } from "../core/has_props.ts"
import { is_plain_object } from "../core/util/types.ts"
import { BOKEHJS_VERSION } from "../core/version.ts"
import { DEFAULT_TITLE, Document } from "../document/document.ts"
import type { DocJson } from "../document/json.ts"
import { embed_call_script, script_safe_json } from "./bootstrap.ts"
import { required_bundles } from "./bundle.ts"
import { Resources, type StandaloneResourcesMode } from "./standalone_resources.ts"
import {
  check_models,
  standalone_docs_json_and_render_items,
  with_output_document,
  make_globally_unique_css_safe_id,
  type ModelLike,
  type OutputDocument,
  type RenderRoot,
  type ThemeLike,
} from "./standalone_docs.ts"
import { autoload_static_js, autoload_tag, embed_div, file_template, user_template, wrap_in_script_tag } from "./standalone_templates.ts"

export interface FileHtmlOptions {
  /** Where BokehJS comes from: a `Resources`, or a mode name; default `BOKEH_RESOURCES`, else "cdn". */
  readonly resources?: Resources | StandaloneResourcesMode | null
  /** The page's `<title>`; default: the document's title. */
  readonly title?: string | null
  /** A nunjucks/Jinja template source; it extends the default page (`{% block contents %}…`). */
  readonly template?: string
  /** Extra variables for the template. */
  readonly template_variables?: Record<string, unknown>
  /** A theme for this output only; default: the document's own. */
  readonly theme?: ThemeLike
  /** Don't warn that server-side callbacks can't work in standalone output. */
  readonly suppress_callback_warning?: boolean
  /** @internal serialize as a temporary document, leaving models without one as they are (exports). */
  readonly _always_new?: boolean
}

/** Every model the output document holds (what decides the bundles). */
function all_models(out: OutputDocument): Set<HasProps> {
  const models = new Set<HasProps>()
  for (const root of out.roots) for (const m of root.references()) models.add(m)
  return models
}

/** Python's `escape(json, quote=False)`: BokehJS reads the JSON script's text and unescapes these. */
function html_escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
}

function roots_of(models: ModelLike[] | ModelLike, what: string): HasProps[] {
  const list = check_models(models, what)
  const roots: HasProps[] = []
  for (const m of list) {
    if (m instanceof Document) {
      if (m.roots.length === 0) throw new EmbedError("BK_ERR_EMBED", "Document has no root Models")
      roots.push(...m.roots)
    } else roots.push(m)
  }
  return roots
}

/**
 * An HTML page rendering `models` (a model, a Document, or a list of models), with the data inside
 * (Python's `bokeh.embed.file_html`).
 */
export function file_html(models: ModelLike | ModelLike[], options: FileHtmlOptions | Resources | StandaloneResourcesMode = {}): string {
  const opts: FileHtmlOptions = options instanceof Resources || typeof options === "string" ? { resources: options } : options
  const resources = Resources.build(opts.resources)
  const roots = roots_of(models, "file_html")
  return with_output_document(
    roots,
    opts.theme,
    (out) => {
      const { docs_json, render_items } = standalone_docs_json_and_render_items(out, { suppress_callback_warning: opts.suppress_callback_warning ?? false })
      const title = opts.title ?? title_from_models(Array.isArray(models) ? models : [models], out)
      const bokeh_js = resources.render_js(required_bundles(all_models(out)))
      return html_page_for_render_items(
        bokeh_js,
        docs_json,
        render_items.map((r) => ({ json: r.to_json(), roots: r.roots })),
        title,
        opts,
      )
    },
    opts._always_new === true,
  )
}

function title_from_models(models: readonly ModelLike[], out: OutputDocument): string {
  for (const m of models) if (m instanceof Document) return m.title
  for (const m of models) if (m instanceof HasProps && m.document !== null) return (m.document as Document).title
  return out.doc?.title ?? DEFAULT_TITLE
}

interface PageItem {
  readonly json: ReturnType<ReturnType<typeof standalone_docs_json_and_render_items>["render_items"][number]["to_json"]>
  readonly roots: RenderRoot[]
}

/** Python's `html_page_for_render_items`. */
function html_page_for_render_items(bokeh_js: string, docs_json: Record<string, DocJson>, items: PageItem[], title: string, opts: FileHtmlOptions): string {
  const json_id = make_globally_unique_css_safe_id()
  const json = wrap_in_script_tag(html_escape(JSON.stringify(docs_json)), "application/json", json_id)
  const script = wrap_in_script_tag(
    embed_call_script(
      `document.getElementById(${script_safe_json(json_id)}).textContent`,
      items.map((i) => i.json),
    ),
  )
  const SafeString = nunjucks.runtime.SafeString
  const docs = items.map((i) => ({ elementid: null, roots: i.roots }))
  const context: Record<string, unknown> = {
    ...opts.template_variables,
    title,
    bokeh_js: new SafeString(bokeh_js),
    bokeh_css: new SafeString(""),
    plot_script: new SafeString(json + script),
    docs,
    base: file_template(),
  }
  if (docs.length === 1) {
    context["doc"] = docs[0]
    context["roots"] = docs[0]!.roots
  }
  context["plot_div"] = new SafeString(docs.map((d) => d.roots.map((r) => embed_div(r)).join("\n")).join("\n"))
  const template = opts.template !== undefined ? user_template(opts.template) : file_template()
  return template.render(context)
}

export interface ComponentsOptions {
  /** Wrap the script in a `<script>` element (default true). */
  readonly wrap_script?: boolean
  /** Return `<div>` strings (default true); false gives the RenderRoot objects to build your own. */
  readonly wrap_plot_info?: boolean
  readonly theme?: ThemeLike
}

type Components<T, D> = T extends HasProps ? [string, D] : T extends readonly HasProps[] ? [string, D[]] : [string, Record<string, D>]

/**
 * A script and divs to put `models` (a model, a list, or an object of named models) into your own
 * page, which must load BokehJS itself (Python's `bokeh.embed.components`). The result mirrors the
 * argument: one div, a list of divs, or an object of divs.
 */
export function components<T extends HasProps | readonly HasProps[] | Readonly<Record<string, HasProps>>>(
  models: T,
  options?: ComponentsOptions & { wrap_plot_info?: true },
): Components<T, string>
export function components<T extends HasProps | readonly HasProps[] | Readonly<Record<string, HasProps>>>(
  models: T,
  options: ComponentsOptions & { wrap_plot_info: false },
): Components<T, RenderRoot>
export function components(models: HasProps | readonly HasProps[] | Readonly<Record<string, HasProps>>, options: ComponentsOptions = {}): [string, unknown] {
  let list: HasProps[]
  let keys: string[] | null = null
  if (models instanceof HasProps) list = [models]
  else if (Array.isArray(models)) list = [...(models as HasProps[])]
  else if (is_plain_object(models)) {
    keys = Object.keys(models)
    list = Object.values(models as Record<string, HasProps>)
  } else list = []
  if (list.length === 0 || !list.every((m) => m instanceof HasProps)) {
    throw new EmbedError("BK_ERR_EMBED", "components expects a model, a non-empty list of models, or an object of models")
  }
  return with_output_document(list, options.theme, (out) => {
    const { docs_json, render_items } = standalone_docs_json_and_render_items(out)
    const item = render_items[0]!
    // Our output document's roots are the given models (in order) unless they are a document's full set of roots.
    const by_id = new Map(item.roots.map((r) => [r.id, r]))
    const roots = list.map((m) => by_id.get(m.id)!)
    const js = embed_call_script(script_safe_json(docs_json), [item.to_json()])
    const script = options.wrap_script === false ? js : wrap_in_script_tag(js, "text/javascript")
    const results: unknown[] = options.wrap_plot_info === false ? roots : roots.map((r) => embed_div(r))
    if (models instanceof HasProps) return [script, results[0]]
    if (keys !== null) return [script, Object.fromEntries(keys.map((k, i) => [k, results[i]]))]
    return [script, results]
  })
}

/** What `json_item` returns: the argument of `Bokeh.embed.embed_item(item, target?)`. */
export interface StandaloneEmbedJson {
  target_id: string | null
  root_id: string
  doc: DocJson
  version: string
}

/**
 * JSON for `Bokeh.embed.embed_item` (Python's `bokeh.embed.json_item`): serve it from an endpoint and
 * embed it client-side. `target` is the id of the element to render into (or give it in JS).
 */
export function json_item(model: HasProps, target: string | null = null, theme: ThemeLike = null): StandaloneEmbedJson {
  if (!(model instanceof HasProps)) throw new EmbedError("BK_ERR_EMBED", "json_item expects a single model")
  return with_output_document([model], theme, (out) => {
    const { docs_json } = standalone_docs_json_and_render_items(out, { title: "" })
    const doc = Object.values(docs_json)[0]!
    const root = doc.roots[0] as { id: string }
    // The version BokehJS checks the item against is its own: the pinned BokehJS the page loads.
    return { target_id: target, root_id: root.id, doc, version: BOKEHJS_VERSION }
  })
}

/**
 * A script to save at `script_path` and the `<script>` tag that loads it (Python's
 * `bokeh.embed.autoload_static`): the script loads BokehJS from `resources` unless the page has it,
 * and renders `model` (or a Document's roots) in place of the tag, data included.
 */
export function autoload_static(model: HasProps | Document, resources: Resources | StandaloneResourcesMode, script_path: string): [string, string] {
  if (!(model instanceof HasProps || model instanceof Document)) throw new EmbedError("BK_ERR_EMBED", "autoload_static expects a single model or Document")
  if (typeof script_path !== "string" || script_path === "")
    throw new EmbedError("BK_ERR_EMBED", "autoload_static needs the script_path the script will be served at")
  const res = Resources.build(resources)
  const roots = model instanceof Document ? [...model.roots] : [model]
  if (roots.length === 0) throw new EmbedError("BK_ERR_EMBED", "Document has no root Models")
  return with_output_document(roots, null, (out) => {
    const { docs_json, render_items } = standalone_docs_json_and_render_items(out)
    const item = render_items[0]!
    // Python renders the (first) root where the script tag is: BokehJS replaces the tag with the root.
    const elementid = item.roots[0]!.elementid
    const bundles = required_bundles(all_models(out))
    const js = autoload_static_js({
      elementid,
      js_urls: res.js_files(bundles),
      hashes: res.hashes(bundles),
      inline_js: [...res.js_raw(bundles), embed_call_script(script_safe_json(docs_json), [item.to_json()])],
    })
    return [js, autoload_tag(script_path, elementid)]
  })
}

/**
 * Server-rendered HTML: the app page (docs/protocol.md §8.1), rendered with a Jinja-compatible engine
 * (nunjucks) so apps may supply their own template (`doc.template`, `templates/index.html`) that
 * `{% extends base %}` and overrides its blocks (`title`, `preamble`, `resources`, `js_resources`,
 * `postamble`, `contents`, `inner_body`, …), with `embed(roots.name)` placing single roots.
 */
import { randomUUID } from "node:crypto"
import nunjucks from "nunjucks"

import type { HasProps } from "../core/has_props.ts"
import { read_setting } from "../settings.ts"
import type { Document } from "../document/document.ts"
import { embed_call_script } from "./bootstrap.ts"
import { required_bundles, type BundleName } from "./bundle.ts"
import { bokeh_js_html } from "./page_resources.ts"
import type { ResourcesMode } from "./resources.ts"

const BASE_TEMPLATE = `<!DOCTYPE html>
<html lang="en">
  {% block head %}
  <head>
  {% block inner_head %}
    <meta charset="utf-8">
    <title>{% block title %}{{ title if title else "Bokeh Plot" }}{% endblock %}</title>
    <style>
      html, body {
        box-sizing: border-box;
        display: flow-root;
        height: 100%;
        margin: 0;
        padding: 0;
      }
    </style>
  {% block preamble %}{% endblock %}
  {% block resources %}
    {% block css_resources %}{{ bokeh_css if bokeh_css }}{% endblock %}
    {% block js_resources %}{{ bokeh_js if bokeh_js }}{% endblock %}
  {% endblock %}
  {% block postamble %}{% endblock %}
  {% endblock %}
  </head>
  {% endblock %}
  {% block body %}
  <body>
  {% block inner_body %}
  {% block contents %}
  {% for root in roots %}
    {{ embed(root) }}
  {% endfor %}
  {% endblock %}
  {{ plot_script }}
  {% endblock %}
  </body>
  {% endblock %}
</html>
`

/** One root's placeholder: what `embed(root)` writes. */
export interface RenderRoot {
  readonly elementid: string
  readonly id: string
  readonly name: string | null
  readonly model: HasProps
}

export interface PageOptions {
  /** The session token handed to BokehJS. */
  readonly token: string
  readonly resources: ResourcesMode
  /** The bundles the page loads up front; by default those the document needs now (the rest load on demand). */
  readonly bundles?: readonly BundleName[]
  /** Where static files live, ending with `/` (`/` or `/prefix/`). */
  readonly root_url: string
  /** `Bokeh.set_log_level(...)` in the page (BOKEH_LOG_LEVEL, default "info"). */
  readonly log_level?: string
  /** Directories searched for templates a custom template includes or extends. */
  readonly template_dirs?: readonly string[]
}

const environments = new Map<string, nunjucks.Environment>()

function environment(dirs: readonly string[]): nunjucks.Environment {
  const key = dirs.join("\0")
  let env = environments.get(key)
  if (env === undefined) {
    const loaders: nunjucks.ILoader[] = []
    if (dirs.length > 0) loaders.push(new nunjucks.FileSystemLoader([...dirs], { noCache: false }))
    env = new nunjucks.Environment(loaders, { autoescape: true })
    env.addGlobal("embed", (root: RenderRoot | undefined) =>
      root === undefined ? "" : new nunjucks.runtime.SafeString(`<div id="${root.elementid}" data-root-id="${root.id}" style="display: contents;"></div>`),
    )
    environments.set(key, env)
  }
  return env
}

const base_templates = new WeakMap<nunjucks.Environment, nunjucks.Template>()

/** Renders the app page for a session whose document is `doc`. */
export async function server_html_page_for_session(doc: Document, options: PageOptions): Promise<string> {
  const env = environment(options.template_dirs ?? [])
  let base = base_templates.get(env)
  if (base === undefined) {
    base = new nunjucks.Template(BASE_TEMPLATE, env, "bokeh/base.html", true)
    base_templates.set(env, base)
  }
  const roots: RenderRoot[] & Record<string, RenderRoot> = [] as unknown as RenderRoot[] & Record<string, RenderRoot>
  for (const model of doc.roots) {
    const name = (model as unknown as { name?: unknown }).name
    const root: RenderRoot = { elementid: randomUUID(), id: model.id, name: typeof name === "string" ? name : null, model }
    roots.push(root)
    if (root.name !== null) roots[root.name] = root
  }
  const json_id = randomUUID()
  const render_items = [
    {
      token: options.token,
      roots: Object.fromEntries(roots.map((r) => [r.id, r.elementid])),
      root_ids: roots.map((r) => r.id),
      use_for_title: true,
    },
  ]
  const SafeString = nunjucks.runtime.SafeString
  const plot_script =
    `<script type="application/json" id="${json_id}">\n      {}\n    </script>\n` +
    `    <script type="text/javascript">\n${embed_call_script(`document.getElementById("${json_id}").textContent`, render_items)}\n    </script>`
  const bokeh_js = await bokeh_js_html({
    mode: options.resources,
    root_url: options.root_url,
    bundles: options.bundles ?? required_bundles(doc.roots),
    log_level: options.log_level ?? read_setting("log_level"),
  })
  const context = {
    ...doc.template_variables,
    title: doc.title,
    base,
    bokeh_js: new SafeString(bokeh_js),
    bokeh_css: new SafeString(""),
    plot_script: new SafeString(plot_script),
    docs: [{ elementid: null, roots }],
    roots,
    doc,
  }
  const template = doc.template !== null ? new nunjucks.Template(doc.template, env, "index.html", true) : base
  return template.render(context)
}

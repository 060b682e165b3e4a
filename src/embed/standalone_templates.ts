/**
 * Templates of standalone output, as Python's `bokeh.core.templates` (FILE, ROOT_DIV, AUTOLOAD_JS,
 * AUTOLOAD_TAG), rendered with nunjucks (Jinja-compatible) like the server's page, so a user's
 * template string `{% extends base %}` and overrides the same blocks as in Python.
 */
import nunjucks from "nunjucks"

import { escape_attr } from "./resources.ts"
import { script_safe_json } from "./bootstrap.ts"

/** Python's FILE template (file.html): the page `file_html` and `save` write. */
const FILE_SOURCE = `<!DOCTYPE html>
<html lang="en">
  {% block head %}
  <head>
  {% block inner_head %}
    <meta charset="utf-8">
    <title>{% block title %}{{ title if title else "Bokeh Plot" }}{% endblock %}</title>
  {%  block preamble -%}{%- endblock %}
  {%  block resources %}
    <style>
      html, body {
        box-sizing: border-box;
        display: flow-root;
        height: 100%;
        margin: 0;
        padding: 0;
      }
    </style>
  {%   block css_resources -%}
    {{- bokeh_css if bokeh_css }}
  {%-  endblock %}
  {%   block js_resources -%}
    {{  bokeh_js if bokeh_js }}
  {%-  endblock %}
  {%  endblock %}
  {%  block postamble %}{% endblock %}
  {% endblock %}
  </head>
  {% endblock %}
  {% block body %}
  <body>
  {%  block inner_body %}
  {%    block contents %}
  {%      for doc in docs %}
  {{        embed(doc) if doc.elementid }}
  {%-       for root in doc.roots %}
  {{            embed(root) }}
  {%        endfor %}
  {%      endfor %}
  {%    endblock %}
  {{ plot_script | indent(4) }}
  {%  endblock %}
  </body>
  {% endblock %}
</html>
`

/** Python's `embed` macro: the element a root (or a document) is rendered into. */
export function embed_div(obj: { readonly elementid?: string | null; readonly id?: string | null } | undefined): string {
  if (obj === undefined || obj === null) return ""
  const id = obj.id ? ` data-root-id="${escape_attr(obj.id)}"` : ""
  return `<div id="${escape_attr(obj.elementid ?? "")}"${id} style="display: contents;"></div>`
}

let env: nunjucks.Environment | null = null
let file: nunjucks.Template | null = null

export function environment(): nunjucks.Environment {
  if (env === null) {
    env = new nunjucks.Environment([], { autoescape: true })
    env.addGlobal("embed", (obj: Parameters<typeof embed_div>[0]) => new nunjucks.runtime.SafeString(embed_div(obj)))
  }
  return env
}

/** The FILE template. */
export function file_template(): nunjucks.Template {
  return (file ??= new nunjucks.Template(FILE_SOURCE, environment(), "bokeh/file.html", true))
}

/** A user's template source: like Python, it implicitly extends FILE (`{% extends base %}`). */
export function user_template(source: string): nunjucks.Template {
  return new nunjucks.Template(`{% extends base %}\n${source}`, environment(), "template.html", true)
}

/** Python's `wrap_in_script_tag`: code indented by two, in a `<script>` element. */
export function wrap_in_script_tag(js: string, type?: string, id?: string): string {
  const attrs = `${type !== undefined ? ` type="${escape_attr(type)}"` : ""}${id !== undefined ? ` id="${escape_attr(id)}"` : ""}`
  return `\n<script${attrs}>\n${js.replace(/^(?=.)/gm, "  ")}\n</script>\n`
}

/** Python's AUTOLOAD_TAG. */
export function autoload_tag(src_path: string, elementid: string): string {
  return `<script src="${escape_attr(src_path)}" id="${escape_attr(elementid)}"></script>`
}

export interface AutoloadStaticJsOptions {
  readonly elementid: string
  readonly js_urls: readonly string[]
  /** SRI hashes by URL (cdn). */
  readonly hashes: Readonly<Record<string, string>>
  /** Code run once BokehJS is loaded, in order (inline bundles, log level, the embedding). */
  readonly inline_js: readonly string[]
}

/**
 * Python's AUTOLOAD_JS for `autoload_static`: load BokehJS unless the page has it or is loading it
 * (other autoload scripts on the page queue behind the first), then run the inline code.
 */
export function autoload_static_js(options: AutoloadStaticJsOptions): string {
  const fns = options.inline_js.map((js) => `    function(Bokeh) {\n${js.replace(/^/gm, "      ")}\n    },`).join("\n")
  return `(function(root) {
  "use strict";
  if (typeof root._bokeh_onload_callbacks === "undefined") {
    root._bokeh_onload_callbacks = [];
    root._bokeh_is_loading = undefined;
  }
  const element = document.getElementById(${script_safe_json(options.elementid)});
  if (element == null) {
    console.warn("Bokeh: autoload.js configured with elementid '" + ${script_safe_json(options.elementid)} + "' but no matching script tag was found.");
  }
  function run_callbacks() {
    try {
      root._bokeh_onload_callbacks.forEach(function(callback) { if (callback != null) callback(); });
    } finally {
      delete root._bokeh_onload_callbacks;
    }
  }
  function load_libs(js_urls, hashes, callback) {
    root._bokeh_onload_callbacks.push(callback);
    if (root._bokeh_is_loading > 0) return;
    if (js_urls.length === 0 || root.Bokeh !== undefined) {
      run_callbacks();
      return;
    }
    root._bokeh_is_loading = js_urls.length;
    for (const url of js_urls) {
      const s = document.createElement("script");
      s.onload = function() {
        root._bokeh_is_loading--;
        if (root._bokeh_is_loading === 0) run_callbacks();
      };
      s.onerror = function() { console.error("failed to load " + url); };
      s.async = false;
      s.src = url;
      if (hashes[url] !== undefined) {
        s.integrity = hashes[url];
        s.crossOrigin = "anonymous";
      }
      document.head.appendChild(s);
    }
  }
  const js_urls = ${script_safe_json(options.js_urls)};
  const hashes = ${script_safe_json(options.hashes)};
  const inline_js = [
${fns}
  ];
  function run_inline_js() {
    for (let i = 0; i < inline_js.length; i++) inline_js[i].call(root, root.Bokeh);
  }
  if (root._bokeh_is_loading === 0) run_inline_js();
  else load_libs(js_urls, hashes, run_inline_js);
}(window));
`
}

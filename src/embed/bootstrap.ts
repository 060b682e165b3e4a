/**
 * The inline JavaScript that hands a server session to BokehJS: wait for the DOM and for `Bokeh`
 * (polling every 10 ms, up to 100 times, as Bokeh's pages do), then `embed_items`.
 */

/** JSON for embedding inside a `<script>` element: `<`, `>`, `&` and line separators escaped. */
export function script_safe_json(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029")
}

/**
 * A script body calling `Bokeh.embed.embed_items(docs_json, render_items, ...extra_args)` once
 * BokehJS is present; `docs_json_expr` is a JS expression yielding the docs JSON text.
 */
export function embed_call_script(docs_json_expr: string, render_items: unknown[], extra_args: ReadonlyArray<string | undefined> = []): string {
  const args = [docs_json_expr, script_safe_json(render_items), ...extra_args.filter((a) => a !== undefined).map((a) => script_safe_json(a))]
  return `(function() {
  function embed() {
    const Bokeh = window.Bokeh;
    Bokeh.safely(function() {
      Bokeh.embed.embed_items(${args.join(", ")});
    });
  }
  function when_bokeh_loaded() {
    if (window.Bokeh !== undefined) { embed(); return; }
    let attempts = 0;
    const timer = setInterval(function() {
      if (window.Bokeh !== undefined) {
        clearInterval(timer);
        embed();
      } else if (++attempts > 100) {
        clearInterval(timer);
        console.log("Bokeh: ERROR: Unable to run BokehJS code because BokehJS library is missing");
      }
    }, 10);
  }
  if (document.readyState != "loading") when_bokeh_loaded();
  else document.addEventListener("DOMContentLoaded", when_bokeh_loaded);
})();`
}

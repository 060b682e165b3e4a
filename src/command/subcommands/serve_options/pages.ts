/** What the server serves besides sessions: the index page, favicon, BokehJS resources, compression. (part of `bokeh-ts serve`'s option table, ../serve_options.ts) */
import { choice, flag, text } from "../../option_table.ts"
import { option, RESOURCES, YES_NO } from "./option.ts"

export const PAGE_OPTIONS = {
  index: option({ arity: "one", metavar: "PATH", help: "a Jinja template for the index page", parse: text, map: (index) => ({ server: { index } }) }),
  "disable-index": option({ arity: "flag", help: "no index page at the root", parse: flag, map: () => ({ server: { use_index: false } }) }),
  "disable-index-redirect": option({
    arity: "flag",
    help: "list a single app at the root instead of redirecting to it",
    parse: flag,
    map: () => ({ server: { redirect_root: false } }),
  }),
  "ico-path": option({
    arity: "one",
    metavar: "PATH|none",
    help: 'favicon file, or "none" for no favicon (BOKEH_ICO_PATH)',
    parse: text,
    map: (ico_path) => ({ server: { ico_path } }),
  }),
  resources: option<(typeof RESOURCES)[number]>({
    arity: "one",
    metavar: "server|cdn|inline",
    help: "load BokehJS from this server (default), from cdn.bokeh.org, or inlined into each page (BOKEH_RESOURCES). Pages load only the bundles their document needs; others load when the session gains a model that needs them",
    parse: choice(RESOURCES),
    map: (resources) => ({ server: { resources } }),
  }),
  compress: option<boolean>({
    arity: "one",
    metavar: "yes|no",
    help: "brotli/gzip-compress static files, app pages and autoload.js per Accept-Encoding (default yes; BOKEH_COMPRESS)",
    parse: (raw, flag) => ["yes", "true", "on", "1"].includes(choice(YES_NO)(typeof raw === "string" ? raw.toLowerCase() : raw, flag)),
    map: (compress) => ({ server: { compress } }),
  }),
}

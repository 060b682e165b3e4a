/**
 * The page's on-demand bundle loader. A page loads only the bundles its document needs when it is
 * rendered (./bundle.ts); a session can later gain a model that needs another one (a DataTable added
 * by a callback). BokehJS would fail on that model's type ("Model 'DataTable' does not exist"), so the
 * page wraps `WebSocket` for Bokeh connections (subprotocol `bokeh`): each incoming text frame is
 * scanned for model types (and `webgl` or TeX delimiters) that need a bundle the page does not have
 * yet; if one does, that frame and every frame after it wait until the bundles are loaded, then reach
 * BokehJS in their original order. Frames that need nothing pass straight through.
 *
 * BokehJS asks for MathJax once, when its first widget or math-text view starts, and keeps the answer;
 * after loading `bokeh-mathjax` late the loader has it ask again, so later math renders.
 *
 * Whether a bundle is present is asked from BokehJS itself (`Bokeh.require` of the bundle's entry
 * module), so several apps on one page (autoload.js) share one loader and never load a bundle twice.
 */
import { bundle_trigger_names, type BundleName } from "./bundle.ts"
import { script_safe_json } from "./bootstrap.ts"
import { bundle_url, BOKEHJS_BUNDLES, type ResourcesMode } from "./resources.ts"

type OptionalBundle = Exclude<BundleName, "bokeh">

/** The module each optional bundle registers as its entry: present once the bundle ran. */
const ENTRY_MODULES: Record<OptionalBundle, string> = {
  "bokeh-gl": "models/glyphs/webgl/main",
  "bokeh-widgets": "models/widgets/main",
  "bokeh-tables": "models/widgets/tables/main",
  "bokeh-mathjax": "models/text/mathjax/main",
}

export interface LoaderConfig {
  /** Where to load each bundle the page may still need. */
  readonly urls: Partial<Record<OptionalBundle, string>>
  /** Model type names that need each of those bundles. */
  readonly names: Partial<Record<OptionalBundle, string[]>>
}

let trigger_names: Record<OptionalBundle, string[]> | undefined

/** The loader's configuration for a page that already loads `loaded`. */
export function loader_config(mode: ResourcesMode, root_url: string, loaded: readonly BundleName[]): LoaderConfig {
  trigger_names ??= bundle_trigger_names()
  const urls: Partial<Record<OptionalBundle, string>> = {}
  const names: Partial<Record<OptionalBundle, string[]>> = {}
  for (const bundle of BOKEHJS_BUNDLES) {
    if (bundle === "bokeh" || loaded.includes(bundle)) continue
    urls[bundle] = bundle_url(mode, root_url, bundle)
    if (trigger_names[bundle].length > 0) names[bundle] = trigger_names[bundle]
  }
  return { urls, names }
}

/** The script (without `<script>` tags) that installs the loader, or adds `config` to one already installed. */
export function bundle_loader_script(config: LoaderConfig): string {
  return `(${LOADER})(${script_safe_json(config)}, ${script_safe_json(ENTRY_MODULES)}, ${script_safe_json(BOKEHJS_BUNDLES)});`
}

// Plain ES2017 run by the browser. Written with String.raw so the regular expressions read as in JS.
const LOADER = String.raw`function(config, entries, order) {
  "use strict";
  var state = window.__bokeh_ts_bundle_loader;
  if (state === undefined) {
    state = window.__bokeh_ts_bundle_loader = { urls: {}, names: new Map(), loading: {} };
    install(state);
  }
  Object.keys(config.urls).forEach(function(bundle) { state.urls[bundle] = config.urls[bundle]; });
  Object.keys(config.names).forEach(function(bundle) {
    config.names[bundle].forEach(function(name) {
      var list = state.names.get(name) || [];
      if (list.indexOf(bundle) < 0) list.push(bundle);
      state.names.set(name, list);
    });
  });

  function install(state) {
    var Native = window.WebSocket;
    function BokehWebSocket(url, protocols) {
      var ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
      if (Array.isArray(protocols) && protocols[0] === "bokeh") hold(ws);
      return ws;
    }
    BokehWebSocket.prototype = Native.prototype;
    Object.setPrototypeOf(BokehWebSocket, Native);
    window.WebSocket = BokehWebSocket;

    function present(bundle) {
      try {
        window.Bokeh.require(entries[bundle]);
        return true;
      } catch (error) {
        return false;
      }
    }

    // The bundles this frame's text needs and the page lacks, in load order.
    var TYPE_NAME = /"name"\s*:\s*"([^"\\]+)"/g;
    var TEX = /\$\$[^]*?\$\$|\\\\\[[^]*?\\\\\]|\\\\\([^]*?\\\\\)/;
    function missing(text) {
      var wanted = {};
      TYPE_NAME.lastIndex = 0;
      var match;
      while ((match = TYPE_NAME.exec(text)) !== null) {
        var bundles = state.names.get(match[1]);
        if (bundles !== undefined) bundles.forEach(function(b) { wanted[b] = true; });
      }
      if (state.urls["bokeh-gl"] !== undefined && text.indexOf("webgl") >= 0) wanted["bokeh-gl"] = true;
      if (state.urls["bokeh-mathjax"] !== undefined && TEX.test(text)) wanted["bokeh-mathjax"] = true;
      return order.filter(function(b) { return wanted[b] === true && state.urls[b] !== undefined && window.Bokeh !== undefined && !present(b); });
    }

    // Scripts added with async = false run in the order they were added: widgets before tables.
    function load(bundle) {
      if (state.loading[bundle] === undefined) {
        state.loading[bundle] = new Promise(function(resolve) {
          var script = document.createElement("script");
          script.src = state.urls[bundle];
          script.async = false;
          script.onload = function() { resolve(after_load(bundle)); };
          script.onerror = function() {
            console.error("Bokeh: failed to load " + script.src);
            resolve();
          };
          document.head.appendChild(script);
        });
      }
      return state.loading[bundle];
    }

    // BokehJS asks for MathJax once, when the first widget or math text view initializes, and remembers
    // that it was missing; once the bundle is here, ask again, before the held frames make new views.
    function after_load(bundle) {
      if (bundle !== "bokeh-mathjax") return undefined;
      try {
        var provider = window.Bokeh.require("models/text/providers").default_provider;
        if (provider.status !== "failed") return undefined;
        provider.status = "not_started";
        return provider.fetch();
      } catch (error) {
        return undefined;
      }
    }

    function hold(ws) {
      var handlers = { message: null, close: null };
      ["message", "close"].forEach(function(type) {
        Object.defineProperty(ws, "on" + type, {
          configurable: true,
          enumerable: true,
          get: function() { return handlers[type]; },
          set: function(f) { handlers[type] = f; },
        });
      });
      var queue = [];
      var gate = null;
      function dispatch(event) {
        var handler = handlers[event.type];
        if (typeof handler !== "function") return;
        try {
          handler.call(ws, event);
        } catch (error) {
          setTimeout(function() { throw error; });
        }
      }
      function receive(event) {
        if (event.type === "message" && typeof event.data === "string" && Object.keys(state.urls).length > 0) {
          var needed = missing(event.data);
          if (needed.length > 0) gate = Promise.all([gate].concat(needed.map(load)));
        }
        if (gate === null) {
          dispatch(event);
          return;
        }
        queue.push(event);
        var mine = gate;
        mine.then(function() {
          if (gate !== mine) return;
          gate = null;
          var held = queue;
          queue = [];
          held.forEach(dispatch);
        });
      }
      ws.addEventListener("message", receive);
      ws.addEventListener("close", receive);
    }
  }
}`

// A minimal fake DOM: just enough globals for BokehJS modules to import and for models
// to be constructed in Node. Views are never created, so nothing here renders.
const noop = () => {}
// A 2-D context where every unknown method is a no-op returning a stub, so module-level code
// probing the canvas (gradients, patterns, text metrics) gets plausible answers.
function stub() {
  return new Proxy(function () {}, { get: (t, k) => (k in t ? t[k] : k === Symbol.toPrimitive ? () => "" : stub()), apply: () => stub() })
}
function canvas_context() {
  const state = { fillStyle: "#000000", strokeStyle: "#000000", font: "10px sans-serif", lineWidth: 1, globalAlpha: 1 }
  state.measureText = (s) => ({
    width: String(s).length * 6,
    actualBoundingBoxAscent: 8,
    actualBoundingBoxDescent: 2,
    fontBoundingBoxAscent: 8,
    fontBoundingBoxDescent: 2,
  })
  state.getImageData = () => ({ data: new Uint8ClampedArray(4) })
  return new Proxy(state, { get: (t, k) => (k in t ? t[k] : typeof k === "string" ? () => stub() : undefined) })
}
class FakeElement {
  constructor(tag) {
    this.tagName = String(tag).toUpperCase()
    this.style = {}
    this.children = []
    this.classList = { add: noop, remove: noop, toggle: noop, contains: () => false }
    this.dataset = {}
  }
  getContext() {
    return canvas_context()
  }
  appendChild(c) {
    this.children.push(c)
    return c
  }
  removeChild(c) {
    return c
  }
  append() {}
  prepend() {}
  remove() {}
  replaceWith() {}
  setAttribute() {}
  getAttribute() {
    return null
  }
  removeAttribute() {}
  hasAttribute() {
    return false
  }
  addEventListener() {}
  removeEventListener() {}
  attachShadow() {
    return new FakeElement("shadow-root")
  }
  getBoundingClientRect() {
    return { left: 0, top: 0, width: 0, height: 0, right: 0, bottom: 0 }
  }
  querySelector() {
    return null
  }
  querySelectorAll() {
    return []
  }
  get sheet() {
    return { cssRules: [], insertRule: noop, deleteRule: noop, replaceSync: noop }
  }
}
export function install_fake_dom() {
  const g = globalThis
  if (g.__bokeh_ts_fake_dom) return
  g.__bokeh_ts_fake_dom = true
  const document = {
    createElement: (t) => new FakeElement(t),
    createElementNS: (_ns, t) => new FakeElement(t),
    createTextNode: (t) => ({ textContent: t }),
    createDocumentFragment: () => new FakeElement("fragment"),
    head: new FakeElement("head"),
    body: new FakeElement("body"),
    documentElement: new FakeElement("html"),
    addEventListener: noop,
    removeEventListener: noop,
    querySelector: () => null,
    querySelectorAll: () => [],
    getElementById: () => null,
    readyState: "complete",
    fonts: { add: noop, ready: Promise.resolve(), load: () => Promise.resolve([]) },
    adoptedStyleSheets: [],
  }
  const defs = {
    document,
    window: g,
    self: g,
    navigator: { userAgent: "node", platform: "node", maxTouchPoints: 0, language: "en" },
    location: { href: "http://localhost/", protocol: "http:", host: "localhost", hostname: "localhost", port: "", pathname: "/", search: "", hash: "" },
    matchMedia: () => ({ matches: false, addEventListener: noop, removeEventListener: noop, addListener: noop }),
    requestAnimationFrame: (cb) => setTimeout(() => cb(Date.now()), 0),
    cancelAnimationFrame: (id) => clearTimeout(id),
    addEventListener: noop,
    removeEventListener: noop,
    devicePixelRatio: 1,
    getComputedStyle: () => ({ getPropertyValue: () => "" }),
    HTMLElement: FakeElement,
    Element: FakeElement,
    Node: FakeElement,
    HTMLCanvasElement: FakeElement,
    HTMLImageElement: FakeElement,
    SVGElement: FakeElement,
    DocumentFragment: FakeElement,
    ShadowRoot: FakeElement,
    Document: Object,
    Image: FakeElement,
    CSSStyleSheet: class {
      replaceSync() {}
      insertRule() {}
      deleteRule() {}
      get cssRules() {
        return []
      }
    },
    ResizeObserver: class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
    IntersectionObserver: class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
    MutationObserver: class {
      observe() {}
      disconnect() {}
    },
    FontFace: class {
      load() {
        return Promise.resolve(this)
      }
    },
    Path2D: class {
      rect() {}
      moveTo() {}
      lineTo() {}
      closePath() {}
    },
    DOMMatrix: class {},
  }
  for (const [k, v] of Object.entries(defs)) {
    if (!(k in g)) Object.defineProperty(g, k, { value: v, configurable: true, writable: true })
  }
  unref_message_channels(g)
}

// BokehJS's core/util/defer keeps a MessageChannel whose port listens forever, which would keep Node
// alive after the last test. Its messages only schedule cleanups, so unref'd ports lose nothing.
function unref_message_channels(g) {
  const Native = g.MessageChannel
  if (Native === undefined) return
  g.MessageChannel = class extends Native {
    constructor() {
      super()
      for (const port of [this.port1, this.port2]) {
        const proto = Object.getPrototypeOf(port)
        let owner = proto
        while (owner !== null && Object.getOwnPropertyDescriptor(owner, "onmessage") === undefined) owner = Object.getPrototypeOf(owner)
        const desc = owner !== null ? Object.getOwnPropertyDescriptor(owner, "onmessage") : undefined
        if (desc?.set === undefined) continue
        Object.defineProperty(port, "onmessage", {
          get() {
            return desc.get.call(port)
          },
          set(fn) {
            desc.set.call(port, fn)
            port.unref?.()
          },
          configurable: true,
        })
        port.unref?.()
      }
    }
  }
}

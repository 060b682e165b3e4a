/**
 * What the protocol fuzzer sends, from a seeded PRNG: mostly PATCH-DOCs whose events are valid, nearly
 * valid or random (wire reps of every kind, refs to this session's models, to another session's models
 * and to nothing, prototype keys, huge and odd numbers), some PUSH-DOCs, plain requests, and raw frame
 * sequences that are not messages at all (bad headers, missing or extra buffers, binary where text goes).
 */

/** mulberry32: small, fast and good enough to make every run reproducible from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A model of a document as the fuzzer sees it: its id, its type name and its attribute names. */
export interface Target {
  readonly id: string
  readonly name: string
  readonly attrs: readonly string[]
}

/** One thing to send: a message (msgtype, content, buffers) or raw frames. */
export type Case =
  | {
      readonly kind: "message"
      readonly msgtype: string
      readonly content: unknown
      readonly buffers: ReadonlyArray<{ id: string; data: Uint8Array }>
      readonly header_extra?: Record<string, unknown>
    }
  | { readonly kind: "frames"; readonly frames: ReadonlyArray<string | Uint8Array> }

const NASTY_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "__defineGetter__", "length", "0", ""]
const ATTRS = [
  "value",
  "text",
  "title",
  "start",
  "end",
  "step",
  "data",
  "name",
  "tags",
  "children",
  "visible",
  "disabled",
  "js_property_callbacks",
  "js_event_callbacks",
  "subscribed_events",
  "selected",
  "x_range",
  "renderers",
  "width",
  "height",
  "options",
  "active",
  "label",
  "css_classes",
  "styles",
  "stylesheets",
  "indices",
  "tools",
  "toolbar",
  ...NASTY_KEYS,
]
const MODEL_NAMES = [
  "Slider",
  "Div",
  "ColumnDataSource",
  "Button",
  "Select",
  "Column",
  "Row",
  "Plot",
  "Range1d",
  "Selection",
  "CustomJS",
  "Paragraph",
  "TextInput",
  "GlyphRenderer",
  "Line",
  "NoSuchModel",
  "__proto__",
  "Object",
]
const KINDS = [
  "ModelChanged",
  "ColumnDataChanged",
  "ColumnsStreamed",
  "ColumnsPatched",
  "RootAdded",
  "RootRemoved",
  "TitleChanged",
  "MessageSent",
  "NoSuchEvent",
  "__proto__",
]
const MSGTYPES = [
  "PATCH-DOC",
  "PULL-DOC-REQ",
  "PUSH-DOC",
  "SERVER-INFO-REQ",
  "OK",
  "ERROR",
  "ACK",
  "PULL-DOC-REPLY",
  "SERVER-INFO-REPLY",
  "NOPE",
  "__proto__",
  "",
]
const DTYPES = ["float64", "float32", "int32", "uint32", "int16", "uint16", "int8", "uint8", "bool", "object", "float16", "int64"]

export class Generator {
  private readonly r: () => number
  /** Models of the fuzzed session, and of another session (which must stay out of reach). */
  targets: Target[] = []
  foreign: Target[] = []
  private next_id = 0

  constructor(seed: number) {
    this.r = prng(seed)
  }

  private int(n: number): number {
    return Math.floor(this.r() * n)
  }

  private chance(p: number): boolean {
    return this.r() < p
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!
  }

  private id(): string {
    const roll = this.r()
    if (roll < 0.6 && this.targets.length > 0) return this.pick(this.targets).id
    if (roll < 0.7 && this.foreign.length > 0) return this.pick(this.foreign).id
    if (roll < 0.8) return this.pick(NASTY_KEYS)
    return `fz${this.next_id++}`
  }

  private string(): string {
    switch (this.int(6)) {
      case 0:
        return ""
      case 1:
        return "x".repeat(this.int(5000))
      case 2:
        return "\u0000\n\r\u2028\ud800é🙂"
      case 3:
        return this.pick(NASTY_KEYS)
      case 4:
        return String(this.r())
      default:
        return `s${this.int(1000)}`
    }
  }

  private number(): number | Record<string, unknown> {
    switch (this.int(9)) {
      case 0:
        return 0
      case 1:
        return -0
      case 2:
        return this.int(100)
      case 3:
        return Number.MAX_VALUE
      case 4:
        return -1e308
      case 5:
        return 2 ** 53 + 1
      case 6:
        return { type: "number", value: this.pick(["nan", "-inf", "+inf", "NaN", "bogus", 1]) }
      case 7:
        return this.r() * 10 - 5
      default:
        return -this.int(1e9)
    }
  }

  /** A buffer id referred to by an ndarray/bytes rep, and maybe the buffer itself. */
  private bytes_rep(buffers: Array<{ id: string; data: Uint8Array }>): Record<string, unknown> {
    if (this.chance(0.3)) return { type: "bytes", data: this.pick(["AAAAAAAA8D8=", "", "!!!", "AAAAAAAAAAAAAAAA"]) }
    const id = `b${buffers.length}${this.chance(0.1) ? "x" : ""}`
    if (this.chance(0.85)) buffers.push({ id, data: new Uint8Array(this.pick([0, 1, 7, 8, 16, 24, 64, 800])).map(() => this.int(256)) })
    return { type: "bytes", data: { id: this.chance(0.1) ? this.pick(NASTY_KEYS) : id } }
  }

  private ndarray(buffers: Array<{ id: string; data: Uint8Array }>): Record<string, unknown> {
    const n = this.pick([0, 1, 2, 3, 8, 100])
    const array = this.chance(0.5) ? this.bytes_rep(buffers) : Array.from({ length: n }, () => this.number())
    const rep: Record<string, unknown> = {
      type: "ndarray",
      array,
      shape: this.chance(0.8) ? [n] : this.pick([[], [-1], [n, 2], "x", [1e12]]),
      dtype: this.pick(DTYPES),
      order: this.pick(["little", "big", "middle"]),
    }
    if (this.chance(0.1)) delete rep[this.pick(["array", "shape", "dtype", "order"])]
    return rep
  }

  /** Any wire value, nested up to `depth`. */
  value(buffers: Array<{ id: string; data: Uint8Array }>, depth = 3): unknown {
    const leaf = depth <= 0
    switch (this.int(leaf ? 6 : 16)) {
      case 0:
        return this.number()
      case 1:
        return this.string()
      case 2:
        return this.chance(0.5)
      case 3:
        return null
      case 4:
        return { id: this.id() }
      case 5:
        return this.int(10)
      case 6:
        return Array.from({ length: this.int(5) }, () => this.value(buffers, depth - 1))
      case 7:
        return this.object(buffers, depth - 1)
      case 8:
        return {
          type: "map",
          entries: this.chance(0.9)
            ? Array.from({ length: this.int(4) }, () => [
                this.chance(0.7) ? this.pick(["x", "y", ...NASTY_KEYS]) : this.value(buffers, 0),
                this.value(buffers, depth - 1),
              ])
            : this.value(buffers, 0),
        }
      case 9:
        return this.ndarray(buffers)
      case 10:
        return this.model_rep(buffers, depth - 1)
      case 11:
        return { type: "set", entries: Array.from({ length: this.int(3) }, () => this.value(buffers, depth - 1)) }
      case 12:
        return { type: "slice", start: this.number(), stop: this.value(buffers, 0), step: this.value(buffers, 0) }
      case 13:
        return this.bytes_rep(buffers)
      case 14:
        return {
          type: this.pick(["value", "field", "expr", "typed_array", "ref", "symbol", "__proto__"]),
          [this.pick(["value", "field", "name", "entries"])]: this.value(buffers, depth - 1),
        }
      default:
        return { type: "number", value: this.number() }
    }
  }

  private object(buffers: Array<{ id: string; data: Uint8Array }>, depth: number): Record<string, unknown> {
    const o: Record<string, unknown> = {}
    for (let i = this.int(4); i > 0; i--)
      Object.defineProperty(o, this.chance(0.5) ? this.pick(NASTY_KEYS) : this.pick(ATTRS), {
        value: this.value(buffers, depth),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    return o
  }

  private model_rep(buffers: Array<{ id: string; data: Uint8Array }>, depth: number): Record<string, unknown> {
    const rep: Record<string, unknown> = { type: "object", name: this.pick(MODEL_NAMES), id: this.chance(0.5) ? `fz${this.next_id++}` : this.id() }
    if (this.chance(0.8)) rep["attributes"] = this.object(buffers, depth)
    return rep
  }

  /** A value meant to be valid for `attr` (mutated now and then). */
  private plausible(attr: string, buffers: Array<{ id: string; data: Uint8Array }>): unknown {
    switch (attr) {
      case "value":
      case "start":
      case "end":
      case "step":
      case "width":
      case "height":
        return this.chance(0.9) ? this.int(10) : this.number()
      case "text":
      case "title":
      case "name":
      case "label":
        return this.chance(0.9) ? `t${this.int(100)}` : this.string()
      case "visible":
      case "disabled":
        return this.chance(0.5)
      case "tags":
        return Array.from({ length: this.int(3) }, () => this.int(5))
      case "data":
        return {
          type: "map",
          entries: [
            ["x", this.ndarray(buffers)],
            ["y", Array.from({ length: 3 }, () => this.number())],
          ],
        }
      default:
        return this.value(buffers, 2)
    }
  }

  private column_data(buffers: Array<{ id: string; data: Uint8Array }>): unknown {
    if (this.chance(0.2)) return this.value(buffers, 2)
    const cols = this.chance(0.7) ? ["x", "y"] : [this.pick(["x", "y", "names", ...NASTY_KEYS])]
    const n = this.pick([0, 1, 2, 5])
    return { type: "map", entries: cols.map((c) => [c, this.chance(0.5) ? Array.from({ length: n }, () => this.number()) : this.ndarray(buffers)]) }
  }

  private event(buffers: Array<{ id: string; data: Uint8Array }>): unknown {
    const valid = this.chance(0.5)
    const target =
      this.targets.length > 0 && this.chance(0.85) ? this.pick(this.targets) : this.foreign.length > 0 && this.chance(0.5) ? this.pick(this.foreign) : null
    const model = target !== null && this.chance(0.9) ? { id: target.id } : this.value(buffers, 1)
    const attr = target !== null && valid ? this.pick(target.attrs.length > 0 ? target.attrs : ATTRS) : this.pick(ATTRS)
    const kind = valid ? this.pick(KINDS.slice(0, 8)) : this.pick(KINDS)
    const ev: Record<string, unknown> = { kind }
    switch (kind) {
      case "ModelChanged":
        Object.assign(ev, { model, attr, new: valid ? this.plausible(attr, buffers) : this.value(buffers) })
        break
      case "ColumnDataChanged":
        Object.assign(ev, {
          model,
          attr: valid ? "data" : attr,
          data: this.column_data(buffers),
          ...(this.chance(0.5) ? { cols: this.chance(0.8) ? [this.pick(["x", "y", ...NASTY_KEYS])] : this.value(buffers, 1) } : {}),
        })
        break
      case "ColumnsStreamed":
        Object.assign(ev, {
          model,
          attr: valid ? "data" : attr,
          data: this.column_data(buffers),
          rollover: this.chance(0.6) ? null : this.pick([0, 1, 5, -1, 1.5, "x", 1e9]),
        })
        break
      case "ColumnsPatched":
        Object.assign(ev, {
          model,
          attr: valid ? "data" : attr,
          patches: {
            type: "map",
            entries: [
              [this.pick(["x", "y", ...NASTY_KEYS]), this.chance(0.8) ? [[this.pick([0, 1, 2, 199, 200, -1, 1e9]), this.number()]] : this.value(buffers, 2)],
            ],
          },
        })
        break
      case "RootAdded":
        Object.assign(ev, { model: this.chance(0.7) ? this.model_rep(buffers, 2) : model })
        break
      case "RootRemoved":
        Object.assign(ev, { model })
        break
      case "TitleChanged":
        Object.assign(ev, { title: valid ? `title ${this.int(100)}` : this.value(buffers, 1) })
        break
      case "MessageSent":
        Object.assign(ev, {
          msg_type: this.chance(0.7) ? "bokeh_event" : this.string(),
          msg_data: this.chance(0.5)
            ? { type: "event", name: this.pick(["button_click", "document_ready", "tap", "x"]), values: this.object(buffers, 1) }
            : this.value(buffers, 2),
        })
        break
      default:
        Object.assign(ev, this.object(buffers, 2))
    }
    if (!valid && this.chance(0.2)) delete ev[this.pick(Object.keys(ev))]
    return ev
  }

  /** The next case. */
  next(): Case {
    const roll = this.r()
    const buffers: Array<{ id: string; data: Uint8Array }> = []
    if (roll < 0.72) {
      const events = Array.from({ length: this.pick([0, 1, 1, 1, 2, 3, 8]) }, () => this.event(buffers))
      const content = this.chance(0.97) ? { events } : this.value(buffers, 2)
      return { kind: "message", msgtype: "PATCH-DOC", content, buffers }
    }
    if (roll < 0.77) {
      const roots = Array.from({ length: this.int(3) }, () => this.model_rep(buffers, 2))
      const doc = {
        version: this.pick(["3.10.0", "", 3]),
        title: this.chance(0.8) ? `pushed ${this.int(10)}` : this.value(buffers, 1),
        roots: this.chance(0.9) ? roots : this.value(buffers, 1),
      }
      return { kind: "message", msgtype: "PUSH-DOC", content: this.chance(0.9) ? { doc } : this.value(buffers, 2), buffers }
    }
    if (roll < 0.85)
      return { kind: "message", msgtype: this.pick(["PULL-DOC-REQ", "SERVER-INFO-REQ"]), content: this.chance(0.8) ? {} : this.value(buffers, 1), buffers }
    if (roll < 0.9)
      return {
        kind: "message",
        msgtype: this.pick(MSGTYPES),
        content: this.value(buffers, 2),
        buffers,
        header_extra: this.chance(0.5) ? { reqid: this.string() } : {},
      }
    return { kind: "frames", frames: this.frames() }
  }

  /** Frame sequences that are not well-formed messages. */
  private frames(): Array<string | Uint8Array> {
    const msgid = `fz${this.next_id++}`
    const header = (extra: Record<string, unknown>) => JSON.stringify({ msgid, msgtype: "PATCH-DOC", ...extra })
    switch (this.int(10)) {
      case 0:
        return ["{not json", "{}", "{}"]
      case 1:
        return [header({ num_buffers: 2 }), "{}", JSON.stringify({ events: [] }), JSON.stringify({ id: "0" }), new Uint8Array(8)] // one buffer short
      case 2:
        return [header({}), "{}", "{}", new Uint8Array(4)] // a binary frame where a header goes
      case 3:
        return [new Uint8Array([1, 2, 3]), "{}", "{}"]
      case 4:
        return [header({ num_buffers: -1 }), "{}", "{}"]
      case 5:
        return [header({ num_buffers: "x" }), "{}", "{}"]
      case 6:
        return [JSON.stringify({ msgtype: "PULL-DOC-REQ" }), "{}", "{}"] // no msgid
      case 7:
        return [header({}), "[]", "null"]
      case 8:
        return [header({ num_buffers: 1 }), "{}", JSON.stringify({ events: [] }), "not json", new Uint8Array(1)]
      default:
        return [JSON.stringify([1, 2]), "", ""]
    }
  }
}

/** The models of a pulled document (JSON), for the generator. */
export function targets_of(doc: unknown): Target[] {
  const out: Target[] = []
  const seen = new Set<string>()
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) visit(x)
    else if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>
      if (o["type"] === "object" && typeof o["id"] === "string" && !seen.has(o["id"])) {
        seen.add(o["id"])
        const attrs = o["attributes"] !== null && typeof o["attributes"] === "object" ? Object.keys(o["attributes"] as object) : []
        out.push({ id: o["id"], name: String(o["name"]), attrs })
      }
      for (const x of Object.values(o)) visit(x)
    }
  }
  visit(doc)
  return out
}

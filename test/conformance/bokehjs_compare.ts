/**
 * Two document JSONs compared as BokehJS loads them: both go through BokehJS's `Document.from_json`
 * and the loaded models are walked in parallel from the roots (and config), comparing types and every
 * property's value; ids may differ. So defaults one side writes and the other leaves out don't count.
 */
import { B } from "./oracle.ts"

type BProp = { attr: string; is_unset: boolean; get_value(): unknown }
type BModel = { type: string; id: string; property(attr: string): BProp; [Symbol.iterator](): Iterator<BProp> }

export function bokehjs_models_differ(a_json: unknown, b_json: unknown, max = 20): string[] {
  // Python's documents say 3.9.2: loaded as the BokehJS at hand, without its version warning.
  const load = (json: unknown) => B.Document.from_json({ ...(JSON.parse(JSON.stringify(json)) as object), version: B.version })
  const a = load(a_json)
  const b = load(b_json)
  const problems: string[] = []
  const paired = new Map<BModel, BModel>()
  const compare = (x: unknown, y: unknown, path: string): void => {
    if (problems.length >= max) return
    if (x instanceof B.HasProps || y instanceof B.HasProps) {
      if (!(x instanceof B.HasProps && y instanceof B.HasProps)) return void problems.push(`${path}: a model on one side only`)
      const mx = x as BModel
      const my = y as BModel
      const seen = paired.get(mx)
      if (seen !== undefined) return void (seen !== my && problems.push(`${path}: shared model pairs differently`))
      paired.set(mx, my)
      if (mx.type !== my.type) return void problems.push(`${path}: ${mx.type} vs ${my.type}`)
      for (const p of mx) {
        const q = my.property(p.attr)
        if (p.is_unset || q.is_unset) {
          if (p.is_unset !== q.is_unset) problems.push(`${path}.${p.attr}: set on one side only`)
        } else compare(p.get_value(), q.get_value(), `${path}.${p.attr}`)
      }
      return
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return void problems.push(`${path}: length ${x.length} vs ${y.length}`)
      x.forEach((v, i) => compare(v, y[i], `${path}[${i}]`))
      return
    }
    if (x instanceof Map && y instanceof Map) {
      if (!B.is_equal([...x.keys()], [...y.keys()])) return void problems.push(`${path}: keys differ`)
      for (const [k, v] of x) compare(v, y.get(k), `${path}[${String(k)}]`)
      return
    }
    if (is_record(x) && is_record(y)) {
      if (!B.is_equal(Object.keys(x).sort(), Object.keys(y).sort())) return void problems.push(`${path}: keys differ`)
      for (const k of Object.keys(x)) compare(x[k], y[k], `${path}.${k}`)
      return
    }
    let equal: boolean
    try {
      equal = B.is_equal(x, y)
    } catch {
      // Objects BokehJS's comparator doesn't know (views, its Document): same class is all we can say.
      equal = Object.getPrototypeOf(x) === Object.getPrototypeOf(y)
    }
    if (!equal) problems.push(`${path}: ${String(JSON.stringify(x)).slice(0, 80)} vs ${String(JSON.stringify(y)).slice(0, 80)}`)
  }
  compare([...a.roots()], [...b.roots()], "roots")
  compare(a.config, b.config, "config")
  if (a.title !== b.title) problems.push(`title: ${a.title} vs ${b.title}`)
  return problems
}

function is_record(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype
}

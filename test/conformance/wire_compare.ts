/**
 * Compares a value as Python's server put it on the wire with ours, structurally: model reps by type
 * name and attributes (ids differ: the pairs found are returned, so later frames can be translated),
 * ndarrays by dtype, shape and values whatever their encoding (Python 3.7's inline base64, our lists or
 * binary buffers), floats to 1e-12 relative (numpy's sin and V8's may differ in the last bit).
 */

export interface Comparison {
  /** Differences Python's client would see in values or structure. */
  readonly problems: string[]
  /** Attributes we send that Python didn't (which Python's client sets as given): our model id, "Type.attr". */
  readonly extra_attributes: Array<{ id: string; attr: string; what: string }>
  /** Attributes Python sends that we omit (fine if our default is that value): our model id, attr, Python's value. */
  readonly omitted: Array<{ id: string; attr: string; theirs: unknown }>
  /** Python's model id → ours. */
  readonly ids: Map<string, string>
}

type Obj = Record<string, unknown>
const is_obj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v)

/** Typed-array constructors by the wire's dtype names. */
export const DTYPES: Record<string, (b: ArrayBuffer) => ArrayLike<number>> = {
  float64: (b) => new Float64Array(b),
  float32: (b) => new Float32Array(b),
  int32: (b) => new Int32Array(b),
  uint32: (b) => new Uint32Array(b),
  int16: (b) => new Int16Array(b),
  uint16: (b) => new Uint16Array(b),
  int8: (b) => new Int8Array(b),
  uint8: (b) => new Uint8Array(b),
  bool: (b) => new Uint8Array(b),
}

/** An ndarray rep's values (little-endian only: both recordings and we use it). */
export function ndarray_values(rep: Obj, buffers: ReadonlyMap<string, Uint8Array>): unknown[] {
  const array = rep["array"]
  if (Array.isArray(array)) return array
  const data = (array as Obj)["data"]
  const bytes = typeof data === "string" ? new Uint8Array(Buffer.from(data, "base64")) : buffers.get((data as { id: string }).id)
  if (bytes === undefined) throw new Error(`no buffer for ${JSON.stringify(data)}`)
  return Array.from(DTYPES[rep["dtype"] as string]!(Uint8Array.from(bytes).buffer))
}

/** A model position: a full rep, or a ref (`{"id"}` or `{"type":"ref","id"}`). */
const is_model = (v: Obj): boolean => typeof v["id"] === "string" && (v["type"] === "object" || v["type"] === "ref" || v["type"] === undefined)

/** Full model reps anywhere in a value, by id: the two sides may emit a model in full at different places. */
function index_models(value: unknown, out = new Map<string, Obj>()): Map<string, Obj> {
  if (Array.isArray(value)) for (const v of value) index_models(v, out)
  else if (is_obj(value)) {
    if (value["type"] === "object" && typeof value["id"] === "string") out.set(value["id"], value)
    for (const v of Object.values(value)) index_models(v, out)
  }
  return out
}

export function compare_wire(
  theirs: unknown,
  ours: unknown,
  buffers: { theirs?: ReadonlyMap<string, Uint8Array>; ours?: ReadonlyMap<string, Uint8Array> } = {},
  ids: Map<string, string> = new Map(),
): Comparison {
  const problems: string[] = []
  const extra_attributes: Comparison["extra_attributes"] = []

  const pair = (py: string, ts: string, path: string): void => {
    const known = ids.get(py)
    if (known !== undefined && known !== ts) problems.push(`${path}: Python's ${py} maps to both ${known} and ${ts}`)
    ids.set(py, ts)
  }

  const omitted: Comparison["omitted"] = []
  const t_index = index_models(theirs)
  const o_index = index_models(ours)
  const compared = new Set<string>()

  /** Two model positions (each a full rep or a ref): pair the ids, compare the full reps once. */
  const model = (t: Obj, o: Obj, path: string): void => {
    const [t_id, o_id] = [t["id"] as string, o["id"]]
    if (typeof o_id !== "string") return void problems.push(`${path}: model ${t_id} vs ours ${JSON.stringify(o).slice(0, 80)}`)
    pair(t_id, o_id, path)
    const [tr, or] = [t_index.get(t_id), o_index.get(o_id)]
    // A receiver resolves a ref only to a model it already has: where Python sends the model, so must we.
    if (tr !== undefined && or === undefined) return void problems.push(`${path}: Python sends ${String(tr["name"])} ${t_id} in full, we only a ref`)
    if (tr === undefined || or === undefined || compared.has(t_id)) return
    compared.add(t_id)
    const name = tr["name"] as string
    if (or["name"] !== name) return void problems.push(`${path}: ${name} vs ours ${String(or["name"])}`)
    const ta = (tr["attributes"] ?? {}) as Obj
    const oa = (or["attributes"] ?? {}) as Obj
    for (const k of Object.keys(ta)) {
      if (!(k in oa)) omitted.push({ id: o_id, attr: k, theirs: ta[k] })
      else walk(ta[k], oa[k], `${path} ${name}.${k}`)
    }
    for (const k of Object.keys(oa)) if (!(k in ta)) extra_attributes.push({ id: o_id, attr: k, what: `${name}.${k}` })
  }

  const walk = (t: unknown, o: unknown, path: string): void => {
    if (typeof t === "number" && typeof o === "number") {
      if (Math.abs(t - o) > 1e-12 * Math.max(1, Math.abs(t))) problems.push(`${path}: ${t} vs ours ${o}`)
      return
    }
    if (Array.isArray(t)) {
      if (!Array.isArray(o) || o.length !== t.length)
        return void problems.push(`${path}: ${JSON.stringify(t).slice(0, 80)} vs ours ${JSON.stringify(o)?.slice(0, 80)}`)
      t.forEach((x, i) => walk(x, o[i], `${path}[${i}]`))
      return
    }
    if (!is_obj(t)) {
      if (t !== o) problems.push(`${path}: ${JSON.stringify(t)} vs ours ${JSON.stringify(o)}`)
      return
    }
    if (!is_obj(o)) return void problems.push(`${path}: ${JSON.stringify(t).slice(0, 80)} vs ours ${JSON.stringify(o)}`)
    if (t["type"] === "ndarray" && o["type"] === "ndarray") {
      for (const k of ["dtype", "shape", "order"]) walk(t[k], o[k], `${path}.${k}`)
      walk(ndarray_values(t, buffers.theirs ?? new Map()), ndarray_values(o, buffers.ours ?? new Map()), `${path}.array`)
      return
    }
    if (is_model(t)) return model(t, o, path)
    for (const k of Object.keys(t)) walk(t[k], o[k], `${path}.${k}`)
    for (const k of Object.keys(o)) if (!(k in t)) problems.push(`${path}.${k}: only in ours`)
  }

  walk(theirs, ours, "$")
  return { problems, extra_attributes, omitted, ids }
}

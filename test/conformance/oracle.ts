/**
 * BokehJS as the oracle (docs/principles.md §1): the pinned BokehJS loaded in this process, plus helpers that move
 * documents and patches between it and ours exactly as the wire would (JSON text + binary buffers).
 * The fake DOM unrefs BokehJS's MessageChannel, so test processes exit by themselves.
 */
import { load_bokehjs, type BokehJS } from "../../scripts/bokehjs/load.ts"
import { HasProps } from "../../src/core/has_props.ts"
import { Serializer, type Buffer_ } from "../../src/core/serialization/serializer.ts"
import type { Document } from "../../src/document/document.ts"

export const B: BokehJS = await load_bokehjs()

/** Wire form: the JSON text and the binary buffers next to it. */
export interface Wire {
  readonly text: string
  readonly buffers: Map<string, Uint8Array>
}

/** Our buffers as the receiver's map (copies, as a socket would deliver them). */
export function buffers_map(buffers: readonly Buffer_[]): Map<string, Uint8Array> {
  return new Map(buffers.map((b) => [b.id, Uint8Array.from(b.data)]))
}

/** Buffers for BokehJS's decoder, which wants ArrayBuffers. */
export function to_b_buffers(buffers: ReadonlyMap<string, Uint8Array>): Map<string, ArrayBuffer> {
  return new Map([...buffers].map(([id, data]) => [id, Uint8Array.from(data).buffer]))
}

/** Serializes what BokehJS produced (Buffer objects inside) the way its Message.send does. */
export function b_wire(value: unknown): Wire {
  const buffers = new Map<string, Uint8Array>()
  const text = JSON.stringify(value, (_key, val) => {
    if (val instanceof B.Buffer && !(val instanceof B.Base64Buffer)) {
      const id = `${buffers.size}`
      buffers.set(id, new Uint8Array((val as { buffer: ArrayBuffer }).buffer.slice(0)))
      return { id }
    }
    return val
  })
  return { text, buffers }
}

/** Loads our document into BokehJS through JSON text (inline base64 or binary buffers). */
export function to_bokehjs(doc: Document, arrays: "base64" | "buffers" = "base64"): BokehJS {
  const { doc: json, buffers } = doc.to_json_with_buffers(arrays)
  return B.Document.from_json(JSON.parse(JSON.stringify(json)), undefined, to_b_buffers(buffers_map(buffers)))
}

/** Decodes a JSON value (from our encoder) with BokehJS, resolving refs against a BokehJS document. */
export function b_decode(bdoc: BokehJS, json: unknown, buffers: ReadonlyMap<string, Uint8Array> = new Map()): unknown {
  const d = new B.Deserializer(bdoc.resolver, bdoc._all_models)
  return d.decode(JSON.parse(JSON.stringify(json)), to_b_buffers(buffers))
}

/** Properties of BokehJS's model whose values differ from ours (after our value went through the wire). */
export function diff_model(model: HasProps, bdoc: BokehJS): string[] {
  const problems: string[] = []
  const bmodel = bdoc.get_model_by_id(model.id)
  const cls = model.constructor as typeof HasProps
  if (bmodel == null) return [`${cls.__name__}(${model.id}) is missing in BokehJS's document`]
  const bname = bmodel.constructor.__qualified__ ?? bmodel.constructor.__name__
  if (bname !== cls.__name__) problems.push(`${model.id}: type ${cls.__name__} arrived as ${bname}`)
  const s = new Serializer({ known: () => true, arrays: "buffers" })
  for (const [attr, value] of Object.entries(model._v)) {
    const encoded = s.encode_property(model, attr, value)
    let ours: unknown
    try {
      ours = b_decode(bdoc, encoded, buffers_map(s.buffers))
    } catch (e) {
      problems.push(`${cls.__name__}.${attr}: BokehJS can't decode ${JSON.stringify(encoded).slice(0, 200)}: ${(e as Error).message}`)
      continue
    }
    const prop = bmodel.property(attr)
    // Properties with a converter (Plot.title: str → Title) store the converted value.
    if (prop.convert != null) ours = prop.convert(ours, bmodel) ?? ours
    const theirs = prop.get_value()
    // An empty map rep decodes to {} in BokehJS, which a Mapping property stores as an empty Map.
    if (theirs instanceof Map && typeof ours === "object" && ours !== null && !(ours instanceof Map) && Object.keys(ours).length === 0) ours = new Map()
    // Spec properties store a plain value as {value}, on both sides of the wire.
    if (prop instanceof B.Properties.VectorSpec || prop instanceof B.Properties.ScalarSpec) {
      if (!is_spec_object(ours) && is_spec_object(theirs)) ours = { value: ours }
    }
    if (!B.is_equal(ours, theirs) && !(prop.convert != null && same_fresh_model(ours, theirs))) {
      problems.push(`${cls.__name__}.${attr}: ours ${show(ours)} ≠ BokehJS ${show(theirs)}`)
    }
  }
  return problems
}

/** A converter makes a fresh model each time (Title from a string): equal if all their values are. */
function same_fresh_model(a: BokehJS, b: BokehJS): boolean {
  if (!(a instanceof B.HasProps) || !(b instanceof B.HasProps) || a.constructor !== b.constructor) return false
  return [...a].every((p: BokehJS) => B.is_equal(p.get_value(), b.property(p.attr).get_value()))
}

function is_spec_object(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && ("value" in v || "field" in v || "expr" in v)
}

function show(v: unknown): string {
  try {
    const s = JSON.stringify(v, (_k, x) => (x instanceof B.HasProps ? `${x.type}(${x.id})` : ArrayBuffer.isView(x) ? Array.from(x as Uint8Array) : x))
    return (s ?? String(v)).slice(0, 200)
  } catch {
    return String(v)
  }
}

/** Every model of ours whose values BokehJS did not get. */
export function diff_document(doc: Document, bdoc: BokehJS): string[] {
  return [...doc.all_models].flatMap((m) => diff_model(m, bdoc))
}

export { HasProps }

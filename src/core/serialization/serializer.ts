/**
 * Encodes values into Bokeh 3 wire reps (docs/protocol.md §5): models as full `object` reps the first time and
 * `{id}` refs after, dicts as `map` reps, NaN/±Inf as `number` reps, numeric arrays as `ndarray` reps
 * whose bytes travel as binary buffers, inline (gzip+base64), or as plain lists.
 */
import { BokehEvent } from "../bokeh_events.ts"
import { SerializationError, preview } from "../errors.ts"
import { HasProps } from "../has_props.ts"
import { Bytes } from "../kinds.ts"
import { DictScalar, SpecKind, is_spec_rep } from "../property_specs.ts"
import { Slice } from "../util/column_data.ts"
import { NDArray, ObjectArray, dtype_of } from "../util/ndarray.ts"
import { is_plain_object, is_typed_array, type TypedArray } from "../util/types.ts"
import { bytes_to_base64 } from "./bytes.ts"

export interface Buffer_ {
  readonly id: string
  readonly data: Uint8Array
}

export type ArrayEncoding =
  /** bytes as binary buffers next to the JSON (PATCH-DOC, and PULL-DOC-REPLY to BokehJS) */
  | "buffers"
  /** bytes inline as base64 of gzip (standalone JSON, embedding) */
  | "base64"
  /** numeric arrays as plain JSON lists (readable dumps; every peer reads buffers) */
  | "lists"

export interface SerializerOptions {
  /** Models the receiver already has: sent as `{id}` refs. */
  readonly known?: (model: HasProps) => boolean
  readonly arrays?: ArrayEncoding
}

const little_endian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

export class Serializer {
  readonly buffers: Buffer_[] = []
  /** Models emitted in full by this serializer. */
  readonly emitted = new Set<HasProps>()
  private readonly known: (model: HasProps) => boolean
  private readonly arrays: ArrayEncoding

  constructor(options: SerializerOptions = {}) {
    this.known = options.known ?? (() => false)
    this.arrays = options.arrays ?? "buffers"
  }

  encode(value: unknown): unknown {
    switch (typeof value) {
      case "string":
      case "boolean":
        return value
      case "number":
        return Number.isFinite(value) ? value : this.encode_number(value)
      case "undefined":
        return null
      case "object":
        break
      case "bigint":
        return Number(value)
      default:
        throw new SerializationError(
          "BK_ERR_UNSERIALIZABLE",
          `can't serialize ${typeof value} ${preview(value)}: only data and models travel to the browser (use CustomJS for code)`,
        )
    }
    if (value === null) return null
    if (value instanceof HasProps) return this.encode_model(value)
    if (value instanceof ObjectArray) return this.encode_ndarray(value, [value.length], "object")
    if (Array.isArray(value)) {
      const out = new Array(value.length)
      for (let i = 0; i < value.length; i++) out[i] = this.encode(value[i])
      return out
    }
    if (is_typed_array(value)) return this.encode_ndarray(value, [value.length], dtype_of(value))
    if (value instanceof NDArray) return this.encode_ndarray(value.data, value.shape, value.dtype)
    if (value instanceof Map) {
      if (value.size === 0) return { type: "map" }
      return { type: "map", entries: [...value].map(([k, v]) => [this.encode(k), this.encode(v)]) }
    }
    if (value instanceof Set) {
      if (value.size === 0) return { type: "set" }
      return { type: "set", entries: [...value].map((v) => this.encode(v)) }
    }
    if (value instanceof BokehEvent) return { type: "event", name: value.event_name, values: this.encode(value.values) }
    if (value instanceof Slice) return { type: "slice", start: value.start, stop: value.stop, step: value.step }
    if (value instanceof Date) return value.getTime() // as Python sends datetimes: ms since epoch
    if (value instanceof ArrayBuffer) return this.encode_bytes(new Uint8Array(value))
    if (is_plain_object(value)) {
      const keys = Object.keys(value)
      if (keys.length === 0) return { type: "map" }
      return { type: "map", entries: keys.map((k) => [k, this.encode(value[k])]) }
    }
    throw new SerializationError("BK_ERR_UNSERIALIZABLE", `can't serialize ${preview(value)}`)
  }

  /** Encodes a model's property value: spec objects become field/value/expr reps. */
  encode_property(model: HasProps, name: string, value: unknown): unknown {
    const prop = (model.constructor as typeof HasProps).__props__[name]
    if (prop !== undefined && prop.kind instanceof SpecKind && is_plain_object(value)) {
      // A dict value (hatch_extra's textures) goes as a map, which Python's Dict property and BokehJS read.
      if (!is_spec_rep(value)) return this.encode(value)
      // Python's hatch_extra is a plain Dict: it refuses a {type: "value"} rep, so a bare value is unwrapped.
      if (prop.kind === DictScalar && Object.entries(value).every(([key, v]) => key === "value" || v === undefined)) return this.encode(value["value"])
      return this.encode_spec(value)
    }
    // Bytes properties (GMapPlot.api_key) travel as a bytes rep: an ndarray would fail their kind.
    if (prop !== undefined && prop.kind === Bytes && value instanceof Uint8Array) return this.encode_bytes(value)
    return this.encode(value)
  }

  private encode_spec(spec: Record<string, unknown>): unknown {
    const out: Record<string, unknown> = {}
    if ("field" in spec) {
      out["type"] = "field"
      out["field"] = spec["field"]
    } else if ("expr" in spec) {
      out["type"] = "expr"
      out["expr"] = this.encode(spec["expr"])
    } else {
      out["type"] = "value"
      out["value"] = this.encode(spec["value"])
    }
    if (spec["transform"] !== undefined) out["transform"] = this.encode(spec["transform"])
    if (spec["units"] !== undefined) out["units"] = spec["units"]
    return out
  }

  private encode_number(value: number): unknown {
    const v = Number.isNaN(value) ? "nan" : value > 0 ? "+inf" : "-inf"
    return { type: "number", value: v }
  }

  private encode_model(model: HasProps): unknown {
    if (this.emitted.has(model) || this.known(model)) return { id: model.id }
    // Registered before its attributes are encoded, so cycles become refs.
    this.emitted.add(model)
    const cls = model.constructor as typeof HasProps
    const v = model._v
    const names = Object.keys(v)
    const rep: Record<string, unknown> = { type: "object", name: cls.__name__, id: model.id }
    if (names.length > 0) {
      const attributes: Record<string, unknown> = {}
      for (const name of names) attributes[name] = this.encode_property(model, name, v[name])
      rep["attributes"] = attributes
    }
    return rep
  }

  private encode_ndarray(data: TypedArray | unknown[], shape: readonly number[], dtype: string): unknown {
    if (dtype === "bool" && Array.isArray(data)) data = Uint8Array.from(data, (x) => (x ? 1 : 0))
    if (Array.isArray(data) || dtype === "object") {
      return { type: "ndarray", array: this.encode(Array.from(data)), shape: [...shape], dtype: "object", order: little_endian ? "little" : "big" }
    }
    if (this.arrays === "lists") {
      const list = dtype === "bool" ? Array.from(data, (x) => x !== 0) : this.encode(Array.from(data))
      return { type: "ndarray", array: list, shape: [...shape], dtype, order: little_endian ? "little" : "big" }
    }
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    return { type: "ndarray", array: this.encode_bytes(bytes), shape: [...shape], dtype, order: little_endian ? "little" : "big" }
  }

  private encode_bytes(bytes: Uint8Array): unknown {
    if (this.arrays === "buffers") {
      const id = String(this.buffers.length)
      this.buffers.push({ id, data: bytes })
      return { type: "bytes", data: { id } }
    }
    return { type: "bytes", data: bytes_to_base64(bytes, true) }
  }
}

/**
 * Decodes Bokeh 3 wire reps (docs/protocol.md §5.8): walks the value, resolves references and creates
 * models; the reps that hold no models (numbers, dates, bytes, typed arrays, ndarrays) are decoded by
 * ./rep_decoders.ts. New models are created (without defaults or checks),
 * registered before their attributes are decoded (so refs to enclosing objects resolve), and their
 * attributes are validated against their kinds. Nothing is applied to existing models here: a decode
 * either succeeds as a whole or throws a coded SerializationError.
 */
import { SerializationError, preview } from "../errors.ts"
import type { HasProps } from "../has_props.ts"
import { has_model_class, resolve_model_class } from "../registry.ts"
import { Slice } from "../util/column_data.ts"
import { has_own, own, set_own } from "../util/own.ts"
import { is_plain_object } from "../util/types.ts"
import { accept_peer_value, type ToleratedValue } from "./peer_values.ts"
import { bytes_from, decode_date, decode_number, malformed, ndarray_from, typed_array_from } from "./rep_decoders.ts"

export type ModelLookup = (id: string) => HasProps | undefined

/** A decoded UI event rep: `{type: "event", name, values}`. */
export interface EventRep {
  readonly name: string
  readonly values: Record<string, unknown>
}

export class Deserializer {
  /** Models created by this decode, in creation order. */
  readonly created: HasProps[] = []
  private readonly created_ids = new Map<string, HasProps>()
  /** Ids of known models a peer re-sent in full; their attributes were ignored (see decode_object). */
  readonly resent: string[] = []
  /** Values kept although their kinds refuse them (see peer_values.ts); the caller logs them. */
  readonly tolerated: ToleratedValue[] = []
  /** With `update_known`: the decoded attributes of full reps of known models, for the caller to apply. */
  readonly updates: Array<{ model: HasProps; attributes: Record<string, unknown> }> = []

  constructor(
    private readonly lookup: ModelLookup,
    private readonly buffers: ReadonlyMap<string, Uint8Array> = new Map(),
    /**
     * `update_known`: a full rep of a known model carries values to apply (collected in `updates`),
     * for a stored document restored over a freshly built one; peers' reps never do (see decode_object).
     */
    private readonly options: { readonly update_known?: boolean } = {},
  ) {}

  /** The outermost value being decoded: searched for full reps when a ref comes before its definition. */
  private root: unknown = undefined
  private pending: Map<string, Record<string, unknown>> | null = null

  decode(value: unknown): unknown {
    if (this.root === undefined) {
      this.root = value
      try {
        return this.decode(value)
      } finally {
        this.root = undefined
        this.pending = null
      }
    }
    if (typeof value !== "object" || value === null) return value
    if (Array.isArray(value)) return value.map((v) => this.decode(v))
    const obj = value as Record<string, unknown>
    const type = own(obj, "type")
    if (typeof type === "string") return this.decode_rep(type, obj)
    if (has_own(obj, "id")) return this.resolve_ref(obj["id"])
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(obj)) set_own(out, key, this.decode(obj[key]))
    return out
  }

  private decode_rep(type: string, rep: Record<string, unknown>): unknown {
    switch (type) {
      case "ref":
        return this.resolve_ref(rep["id"])
      case "object":
        return this.decode_object(rep)
      case "number":
        return decode_number(rep["value"])
      case "array":
        return this.list(rep["entries"]).map((v) => this.decode(v))
      case "set":
        return new Set(this.list(rep["entries"]).map((v) => this.decode(v)))
      case "map":
        return this.decode_map(rep)
      case "bytes":
        return this.decode_bytes(rep)
      case "slice":
        return new Slice(this.opt_int(rep["start"]), this.opt_int(rep["stop"]), this.opt_int(rep["step"]))
      case "typed_array":
        return this.decode_typed_array(rep)
      case "ndarray":
        return this.decode_ndarray(rep)
      case "value":
      case "field":
      case "expr":
        return this.decode_spec(type, rep)
      case "event":
        return this.decode_event(rep)
      case "date":
        return decode_date(rep["iso"])
      default:
        throw new SerializationError("BK_ERR_UNKNOWN_REP_TYPE", `unknown rep type '${type}'`)
    }
  }

  private list(entries: unknown): unknown[] {
    if (entries === undefined) return []
    if (!Array.isArray(entries)) throw malformed(`'entries' must be a list, got ${preview(entries)}`)
    return entries
  }

  private opt_int(v: unknown): number | null {
    const d = this.decode(v)
    if (d === null || d === undefined) return null
    if (typeof d !== "number" || !Number.isInteger(d)) throw malformed(`slice bounds must be integers or null, got ${preview(v)}`)
    return d
  }

  private resolve_ref(id: unknown): HasProps {
    if (typeof id !== "string") throw malformed(`a reference id must be a string, got ${preview(id)}`)
    const model = this.created_ids.get(id) ?? this.lookup(id) ?? this.forward(id)
    if (model === undefined)
      throw new SerializationError(
        "BK_ERR_UNKNOWN_REFERENCE",
        `can't resolve reference '${id}': no model with this id is known (refs must follow the model's full rep)`,
      )
    return model
  }

  /**
   * A ref that precedes its model's full rep (our own encoders never do this, but hand-written or
   * foreign JSON may): find the rep anywhere in the value being decoded and decode it first.
   */
  private forward(id: string): HasProps | undefined {
    if (this.pending === null) {
      this.pending = new Map()
      const stack: unknown[] = [this.root]
      while (stack.length > 0) {
        const v = stack.pop()
        if (Array.isArray(v)) stack.push(...v)
        else if (is_plain_object(v)) {
          const id = own(v, "id")
          if (own(v, "type") === "object" && typeof id === "string" && !this.pending.has(id)) this.pending.set(id, v)
          for (const key of Object.keys(v)) stack.push(v[key])
        }
      }
    }
    const rep = this.pending.get(id)
    if (rep === undefined) return undefined
    this.pending.delete(id) // a cycle back to this id resolves through created_ids once registered
    return this.decode_object(rep) as HasProps
  }

  private decode_object(rep: Record<string, unknown>): unknown {
    const name = own(rep, "name")
    const id = own(rep, "id")
    const attributes = own(rep, "attributes")
    if (typeof name !== "string") throw malformed(`an object rep needs a string 'name', got ${preview(name)}`)
    if (id === undefined)
      throw new SerializationError("BK_ERR_UNKNOWN_MODEL_TYPE", `can't decode plain object of type '${name}': only models (with ids) are supported`)
    if (typeof id !== "string") throw malformed(`an object's 'id' must be a string, got ${preview(id)}`)
    if (attributes !== undefined && !is_plain_object(attributes)) throw malformed(`'attributes' of ${name}(${id}) must be an object`)
    const existing = this.created_ids.get(id) ?? this.lookup(id)
    if (existing !== undefined) {
      // A full rep of a model we already have is only a reference, as in Python's deserializer. BokehJS
      // re-sends every root in full after it re-pulls a document on reconnect; those values are what it
      // pulled, and may be older than changes made since (its own change racing the re-pull, a periodic
      // callback): applying them would roll the session back.
      const cls = existing.constructor as typeof HasProps
      if (cls.__name__ !== name) throw malformed(`model ${id} is a ${cls.__name__}, but a rep calls it ${name}`)
      if (attributes !== undefined && !this.created_ids.has(id)) {
        if (this.options.update_known === true) this.updates.push({ model: existing, attributes: this.decode_attributes(existing, attributes) })
        else this.resent.push(id)
      }
      return existing
    }
    if (!has_model_class(name)) throw new SerializationError("BK_ERR_UNKNOWN_MODEL_TYPE", `unknown model type '${name}' (id ${id})`)
    const cls = resolve_model_class(name) as unknown as typeof HasProps
    const model = cls._create_empty(id)
    this.created_ids.set(id, model)
    this.created.push(model)
    if (attributes !== undefined) {
      const decoded = this.decode_attributes(model, attributes)
      for (const key in decoded) model._v[key] = decoded[key]
    }
    return model
  }

  /** Decodes and checks attributes of a model (see peer_values.ts), without applying them. */
  decode_attributes(model: HasProps, attributes: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(attributes)) {
      model._prop(key) // unknown properties are refused before their value is decoded
      // Spec strings from peers are values (peers send fields as field reps).
      set_own(out, key, accept_peer_value(model, key, this.decode(own(attributes, key)), this.tolerated))
    }
    return out
  }

  private decode_map(rep: Record<string, unknown>): unknown {
    const entries = this.list(rep["entries"])
    const pairs = entries.map((e) => {
      if (!Array.isArray(e) || e.length !== 2) throw malformed(`map entries must be [key, value] pairs, got ${preview(e)}`)
      return [this.decode(e[0]), this.decode(e[1])] as const
    })
    // As BokehJS does: string keys give a plain object (own keys only, `__proto__` included), anything else a Map.
    if (pairs.every(([k]) => typeof k === "string")) return Object.fromEntries(pairs)
    return new Map(pairs)
  }

  private decode_bytes(rep: Record<string, unknown>): Uint8Array {
    return bytes_from(rep["data"], this.buffers)
  }

  private decode_typed_array(rep: Record<string, unknown>): unknown {
    const bytes = this.decode(rep["array"])
    if (!(bytes instanceof Uint8Array)) throw malformed("a typed_array rep needs a bytes 'array'")
    return typed_array_from(bytes, rep["dtype"], rep["order"])
  }

  private decode_ndarray(rep: Record<string, unknown>): unknown {
    const { dtype, shape, order } = rep
    if (!Array.isArray(shape) || !shape.every((n) => Number.isInteger(n) && n >= 0))
      throw new SerializationError("BK_ERR_BAD_NDARRAY", `ndarray shape must be a list of non-negative integers, got ${preview(shape)}`)
    return ndarray_from(this.decode(rep["array"]), dtype, shape as number[], order)
  }

  private decode_spec(type: string, rep: Record<string, unknown>): unknown {
    const out: Record<string, unknown> = {}
    if (type === "field") {
      if (typeof rep["field"] !== "string") throw malformed("a field rep needs a string 'field'")
      out["field"] = rep["field"]
    } else if (type === "expr") {
      out["expr"] = this.decode(rep["expr"])
    } else {
      if (!("value" in rep)) throw malformed("a value rep needs 'value'")
      out["value"] = this.decode(rep["value"])
    }
    if (rep["transform"] !== undefined && rep["transform"] !== null) out["transform"] = this.decode(rep["transform"])
    if (rep["units"] !== undefined && rep["units"] !== null) out["units"] = rep["units"]
    return out
  }

  private decode_event(rep: Record<string, unknown>): EventRep {
    if (typeof rep["name"] !== "string") throw malformed("an event rep needs a string 'name'")
    const values = rep["values"] === undefined ? {} : this.decode(rep["values"])
    if (!is_plain_object(values)) throw malformed("an event rep's 'values' must be a map with string keys")
    return { name: rep["name"], values }
  }
}

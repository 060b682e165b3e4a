/**
 * Checking values received from peers (documents and patches). A value our kind (BokehJS's) refuses is
 * still kept when Python Bokeh accepts values of that property that BokehJS refuses (PYTHON_WIDER):
 * Python's server stores and relays such documents, so refusing them would break Python apps that
 * work against Python's server. The value is kept exactly as decoded (never coerced), so it goes back
 * out unchanged, and is listed in `tolerated`: the document layer logs one warning for each, naming the
 * model, the property and the value. Anything else that fails
 * its kind is refused with BK_ERR_INVALID_PROPERTY_VALUE. Values app code sets are always checked
 * strictly (HasProps._set).
 */
import { ValidationError, preview } from "../errors.ts"
import type { HasProps } from "../has_props.ts"
import { SpecKind } from "../property_specs.ts"
import { PYTHON_WIDER } from "./python_wider.ts"

const wider = new Map(Object.entries(PYTHON_WIDER).map(([model, props]) => [model, new Set(props.split(" "))]))

/** Whether Python accepts values for `model.prop` that BokehJS's kind refuses. */
export function python_is_wider(model: string, prop: string): boolean {
  return wider.get(model)?.has(prop) ?? false
}

/** A peer's value kept although its kind refuses it. */
export interface ToleratedValue {
  readonly model: string
  readonly prop: string
  readonly kind: string
  readonly value: unknown
}

/** The value to store for a decoded peer value of `model.name`; throws when it is refused. */
export function accept_peer_value(model: HasProps, name: string, value: unknown, tolerated: ToleratedValue[]): unknown {
  const prop = model._prop(name)
  if (prop.kind.valid(value)) return prop.kind instanceof SpecKind ? value : prop.kind.coerce(value)
  const cls = (model.constructor as typeof HasProps).__name__
  if (python_is_wider(cls, name)) {
    tolerated.push({ model: `${cls}(${model.id})`, prop: name, kind: String(prop.kind), value })
    return value
  }
  throw new ValidationError("BK_ERR_INVALID_PROPERTY_VALUE", `${cls}.${name} expected a value of kind ${prop.kind}, got ${preview(value)}`)
}

/** The warning logged for a tolerated value. */
export function tolerated_message(t: ToleratedValue): string {
  return `keeping ${t.model}.${t.prop} = ${preview(t.value)} from a peer: Python Bokeh accepts it, BokehJS's kind ${t.kind} does not`
}

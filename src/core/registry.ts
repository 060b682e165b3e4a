/**
 * The model catalogue: type name (as on the wire, e.g. "Slider", "bokeh.models.dom.Div") → class.
 * Generated model modules register themselves here; kinds and decoders look classes up by name,
 * which keeps generated modules free of import cycles.
 */
import { SerializationError } from "./errors.ts"

type AnyClass = abstract new (...args: never[]) => unknown

const classes = new Map<string, AnyClass>()

export function register_model_class(name: string, cls: AnyClass): void {
  classes.set(name, cls)
}

export function resolve_model_class(name: string): AnyClass {
  const cls = classes.get(name)
  if (cls === undefined)
    throw new SerializationError("BK_ERR_UNKNOWN_MODEL_TYPE", `unknown model type '${name}': it is not in the BokehJS catalogue bokeh-ts was generated from`)
  return cls
}

export function has_model_class(name: string): boolean {
  return classes.has(name)
}

export function model_class_names(): string[] {
  return [...classes.keys()]
}

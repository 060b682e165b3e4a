/**
 * Decoding one event of a peer's PATCH-DOC into a `DecodedEvent`: its reps decoded (new models created,
 * unattached), its shape and names checked, nothing changed. ./column_states.ts then checks the column
 * data events against the data they will meet, and ./patches.ts applies them.
 */
import { DocumentError, preview } from "../core/errors.ts"
import { HasProps } from "../core/has_props.ts"
import type { Deserializer } from "../core/serialization/deserializer.ts"
import { accept_peer_value } from "../core/serialization/peer_values.ts"
import { is_column_data_source, type ColumnData } from "../core/util/column_data.ts"
import { has_own, set_own } from "../core/util/own.ts"
import { is_plain_object } from "../core/util/types.ts"

/** One event of a peer's patch, decoded and checked: what step 2 applies. */
export type DecodedEvent =
  | { kind: "ModelChanged"; model: HasProps; attr: string; value: unknown }
  | { kind: "ColumnDataChanged"; model: HasProps; attr: string; data: Record<string, unknown>; cols: string[] | null }
  | { kind: "ColumnsStreamed"; model: HasProps; attr: string; data: Record<string, unknown>; rollover: number | null }
  | { kind: "ColumnsPatched"; model: HasProps; attr: string; patches: Record<string, unknown> }
  | { kind: "RootAdded"; model: HasProps }
  | { kind: "RootRemoved"; model: HasProps }
  | { kind: "TitleChanged"; title: string }
  | { kind: "MessageSent"; msg_type: string; msg_data: unknown }

/** A malformed patch event (a coded error, answered with ERROR). */
export function bad(message: string): DocumentError {
  return new DocumentError("BK_ERR_BAD_EVENT", message)
}

function model_of(d: Deserializer, v: unknown, kind: string): HasProps {
  const m = d.decode(v)
  if (!(m instanceof HasProps)) throw bad(`${kind} event needs a model, got ${preview(v)}`)
  return m
}

function attr_of(v: unknown, kind: string): string {
  if (typeof v !== "string") throw bad(`${kind} event needs a string 'attr', got ${preview(v)}`)
  return v
}

/** Decodes one event rep; throws a coded error (BK_ERR_BAD_EVENT, or the decoder's) for bad input. */
export function decode_patch_event(d: Deserializer, ev: unknown): DecodedEvent {
  if (!is_plain_object(ev)) throw bad(`a patch event must be an object, got ${preview(ev)}`)
  const kind = ev["kind"]
  switch (kind) {
    case "ModelChanged": {
      const model = model_of(d, ev["model"], kind)
      const attr = attr_of(ev["attr"], kind)
      return { kind, model, attr, value: accept_peer_value(model, attr, d.decode(ev["new"]), d.tolerated) }
    }
    case "ColumnDataChanged": {
      const model = model_of(d, ev["model"], kind)
      const data = d.decode(ev["data"])
      if (!is_plain_object(data)) throw bad("ColumnDataChanged needs a map of columns")
      const cols = ev["cols"] ?? null
      if (cols !== null && !(Array.isArray(cols) && cols.every((c) => typeof c === "string"))) throw bad("ColumnDataChanged 'cols' must be a list of names")
      for (const c of (cols ?? []) as string[]) if (!has_own(data, c)) throw bad(`ColumnDataChanged 'cols' names ${preview(c)}, which its data lacks`)
      return { kind, model, attr: attr_of(ev["attr"], kind), data, cols: cols as string[] | null }
    }
    case "ColumnsStreamed": {
      const model = model_of(d, ev["model"], kind)
      const data = d.decode(ev["data"])
      if (!is_plain_object(data)) throw bad("ColumnsStreamed needs a map of columns")
      const rollover = ev["rollover"] ?? null
      if (rollover !== null && typeof rollover !== "number") throw bad("ColumnsStreamed 'rollover' must be an integer or null")
      return { kind, model, attr: attr_of(ev["attr"], kind), data, rollover }
    }
    case "ColumnsPatched": {
      const model = model_of(d, ev["model"], kind)
      const patches = d.decode(ev["patches"])
      if (!is_plain_object(patches)) throw bad("ColumnsPatched needs a map of patches")
      return { kind, model, attr: attr_of(ev["attr"], kind), patches }
    }
    case "RootAdded":
    case "RootRemoved":
      return { kind, model: model_of(d, ev["model"], kind) }
    case "TitleChanged":
      if (typeof ev["title"] !== "string") throw bad("TitleChanged needs a string 'title'")
      return { kind, title: ev["title"] }
    case "MessageSent":
      if (typeof ev["msg_type"] !== "string") throw bad("MessageSent needs a string 'msg_type'")
      return { kind, msg_type: ev["msg_type"], msg_data: d.decode(ev["msg_data"]) }
    default:
      throw bad(`unknown patch event kind ${preview(kind)}`)
  }
}

/** The column data `model.attr` holds, if it is a ColumnDataSource's `data` (a coded error otherwise). */
export function data_of(model: HasProps, attr: string): ColumnData {
  model._prop(attr) // a coded error for names the model lacks (`constructor`, …)
  // Other dict properties (`styles`, `js_property_callbacks`, …) are not column data, whatever they hold.
  if (attr !== "data" || !is_column_data_source(model)) throw bad(`${model}.${attr} is not a ColumnDataSource's data`)
  const data = model._get(attr)
  if (!is_plain_object(data)) throw bad(`${model}.${attr} is not column data`)
  return data as ColumnData
}

/** A ColumnDataChanged's resulting data, checked as any peer value is (ColumnDataSource.data is never tolerated wider). */
export function check_value(model: HasProps, attr: string, value: unknown): unknown {
  return accept_peer_value(model, attr, value, [])
}

/** The source's new data after a ColumnDataChanged: with `cols`, the `current` columns with those replaced (as BokehJS). */
export function column_data_changed(
  ev: Extract<DecodedEvent, { kind: "ColumnDataChanged" }>,
  current: ColumnData = data_of(ev.model, ev.attr),
): Record<string, unknown> {
  if (ev.cols === null) return ev.data
  const out: Record<string, unknown> = { ...current }
  for (const c of ev.cols) set_own(out, c, ev.data[c])
  return out
}

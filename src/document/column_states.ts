/**
 * `ColumnStates`: checks each ColumnDataSource event of a peer's patch against the data it will meet when
 * its turn comes (step 1 of applying a patch, ./patches.ts), so a patch that would fail half-way is refused
 * before anything changes.
 */
import { apply_stream, check_patches, check_stream, patched_copy, type ColumnData } from "../core/util/column_data.ts"
import type { HasProps } from "../core/has_props.ts"
import { is_plain_object } from "../core/util/types.ts"
import { check_value, column_data_changed, data_of, type DecodedEvent } from "./patch_events.ts"

type DataEvent = Extract<DecodedEvent, { attr: string }>

/**
 * The column data each ColumnDataSource event of a patch will meet when it is applied: the source's
 * data as the patch's earlier parts leave it (a model re-sent in full, a ModelChanged of the data, a
 * ColumnDataChanged, streams, row patches). Checking each event against it means a patch whose later
 * event would only fail after earlier ones changed the data (a patch past the end of data an earlier
 * event shortened) is refused before anything changes, and one that is valid in order (a patch of a
 * row an earlier stream added) is accepted. Only states a later event reads are simulated, and
 * simulating copies what it changes, never the source's own arrays.
 */
export class ColumnStates {
  private readonly _states = new Map<HasProps, Map<string, ColumnData>>()
  private readonly _last = new Map<HasProps, Map<string, number>>()

  constructor(decoded: readonly DecodedEvent[]) {
    decoded.forEach((ev, i) => {
      if ("attr" in ev) map_of(this._last, ev.model).set(ev.attr, i)
    })
  }

  /** Checks event `i` against the state it will meet, and records the state it leaves if a later event reads it. */
  check(ev: DecodedEvent, i: number): void {
    if (!("attr" in ev)) return
    const later = this._read_later(ev.model, ev.attr, i)
    switch (ev.kind) {
      case "ModelChanged":
        if (later && is_plain_object(ev.value)) this._set(ev.model, ev.attr, ev.value as ColumnData)
        break
      case "ColumnDataChanged": {
        const next = check_value(ev.model, ev.attr, column_data_changed(ev, this._data(ev)))
        if (later) this._set(ev.model, ev.attr, next as ColumnData)
        break
      }
      case "ColumnsStreamed": {
        const data = this._data(ev)
        check_stream(data, ev.data, ev.rollover)
        if (later) {
          const next = { ...data }
          apply_stream(next, ev.data, ev.rollover) // replaces columns in `next` with new arrays
          this._set(ev.model, ev.attr, next)
        }
        break
      }
      case "ColumnsPatched": {
        const data = this._data(ev)
        check_patches(data, ev.patches)
        if (later) this._set(ev.model, ev.attr, patched_copy(data, ev.patches))
        break
      }
    }
  }

  private _data(ev: DataEvent): ColumnData {
    return this._states.get(ev.model)?.get(ev.attr) ?? data_of(ev.model, ev.attr)
  }

  private _set(model: HasProps, attr: string, data: ColumnData): void {
    map_of(this._states, model).set(attr, data)
  }

  private _read_later(model: HasProps, attr: string, i: number): boolean {
    return (this._last.get(model)?.get(attr) ?? -1) > i
  }
}

function map_of<V>(maps: Map<HasProps, Map<string, V>>, model: HasProps): Map<string, V> {
  let m = maps.get(model)
  if (m === undefined) maps.set(model, (m = new Map()))
  return m
}

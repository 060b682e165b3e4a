/**
 * Streaming and patching ColumnDataSource columns in place (shared by `ColumnDataSource.stream/patch`
 * and by documents applying ColumnsStreamed / ColumnsPatched events from peers). Each function checks
 * everything before changing anything, so a bad request never leaves half-applied data.
 */
import { DocumentError, preview } from "../errors.ts"
import { NDArray, ObjectArray } from "./ndarray.ts"
import { has_own, own, set_own } from "./own.ts"
import { is_typed_array, type TypedArray } from "./types.ts"

export type Column = unknown[] | TypedArray | NDArray
export type ColumnData = Record<string, Column>

/** A Python-style slice: `new Slice(start, stop, step)`; null bounds mean "from the start/to the end". */
export class Slice {
  constructor(
    readonly start: number | null = null,
    readonly stop: number | null = null,
    readonly step: number | null = null,
  ) {}

  /** The indices this slice selects in a sequence of `length` items. */
  indices(length: number): number[] {
    const step = this.step ?? 1
    if (step === 0) throw new DocumentError("BK_ERR_BAD_PATCH", "slice step cannot be zero")
    const norm = (v: number | null, dflt: number): number => {
      if (v === null) return dflt
      const x = v < 0 ? v + length : v
      return step > 0 ? Math.min(Math.max(x, 0), length) : Math.min(Math.max(x, -1), length - 1)
    }
    const start = norm(this.start, step > 0 ? 0 : length - 1)
    const stop = norm(this.stop, step > 0 ? length : -1)
    const out: number[] = []
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i)
    return out
  }
}

/** `slice(start, stop, step)` as in Python. */
export function slice(start: number | null = null, stop: number | null = null, step: number | null = null): Slice {
  return new Slice(start, stop, step)
}

export type PatchIndex = number | Slice | [number, number | Slice, number | Slice]
export type Patches = Record<string, Array<[PatchIndex, unknown]>>

function column_length(c: Column): number {
  return c instanceof NDArray ? c.length : c.length
}

/** Whether a column is a NumPy-like array (kept as an array with a dtype) rather than a list. */
function is_array_column(c: Column): boolean {
  return is_typed_array(c) || c instanceof NDArray || c instanceof ObjectArray
}

const is_bool_ndarray = (c: Column): c is NDArray => c instanceof NDArray && c.dtype === "bool" && c.shape.length === 1
const is_bool_list = (c: Column): boolean => Array.isArray(c) && c.every((x) => typeof x === "boolean")
const bool_ndarray = (values: ArrayLike<unknown>): NDArray =>
  new NDArray(
    Uint8Array.from(values, (x) => (x ? 1 : 0)),
    [values.length],
    "bool",
  )

/**
 * Appends a streamed column as Python's `np.append` does for arrays (lists are extended): the dtype
 * survives (bool stays bool, object stays object), an empty side yields the other, and mixing bools
 * with numbers gives numbers.
 */
export function concat_columns(a: Column, b: Column): Column {
  if (is_array_column(a) || is_array_column(b)) {
    if (column_length(a) === 0) return b
    if (column_length(b) === 0) return a
  }
  if (is_bool_ndarray(a) && (is_bool_ndarray(b) || is_bool_list(b))) return bool_ndarray([...(a.data as Uint8Array), ...to_list(b)])
  if (is_bool_list(a) && is_bool_ndarray(b)) return bool_ndarray([...(a as unknown[]), ...(b.data as Uint8Array)])
  if (is_bool_ndarray(a) && is_typed_array(b)) return concat_columns(Uint8Array.from(a.data as Uint8Array), b)
  if (is_bool_ndarray(a) && to_list(b).every((x) => typeof x === "number")) return Float64Array.from([...(a.data as Uint8Array), ...(to_list(b) as number[])])
  if (is_typed_array(a) && is_bool_ndarray(b)) return concat_columns(a, Array.from(b.data as Uint8Array))
  if (a instanceof NDArray && a.shape.length === 1 && a.dtype === "object")
    return new NDArray([...to_list(a), ...to_list(b)], [column_length(a) + column_length(b)], "object")
  if (a instanceof ObjectArray || b instanceof ObjectArray) return ObjectArray.from([...to_list(a), ...to_list(b)])
  if (a instanceof NDArray || b instanceof NDArray) return [...to_list(a), ...to_list(b)]
  if (is_typed_array(a)) {
    if (is_typed_array(b) || b.every((x) => typeof x === "number")) {
      const ctor = a.constructor as new (n: number) => TypedArray
      const out = new ctor(a.length + b.length)
      out.set(a)
      out.set(b as ArrayLike<number>, a.length)
      return out
    }
    return [...a, ...b]
  }
  return a.concat(is_typed_array(b) ? Array.from(b) : b)
}

function to_list(c: Column): unknown[] {
  if (c instanceof NDArray) return Array.from(c.data as ArrayLike<unknown>)
  return Array.from(c as ArrayLike<unknown>)
}

/** The last `n` rows of a column, of the same type and dtype (slicing an ObjectArray gives one). */
function tail(c: Column, n: number): Column {
  if (c instanceof NDArray) {
    if (c.shape.length !== 1) return to_list(c).slice(-n)
    return c.length > n ? new NDArray(c.data.slice(c.length - n), [n], c.dtype) : c
  }
  return c.length > n ? c.slice(c.length - n) : c
}

/** Whether `v` can be a column: a list, a typed array or an NDArray. */
export function is_column(v: unknown): v is Column {
  return Array.isArray(v) || is_typed_array(v) || v instanceof NDArray
}

/** Checks a stream request against the current data: same columns (own keys only), equal new lengths. */
export function check_stream(data: ColumnData, new_data: Record<string, unknown>, rollover: number | null | undefined): void {
  const have = Object.keys(data)
  const got = Object.keys(new_data)
  if (have.length > 0 && (got.length !== have.length || !got.every((k) => has_own(data, k)))) {
    throw new DocumentError("BK_ERR_BAD_PATCH", `stream data must have exactly the source's columns [${have.join(", ")}], got [${got.join(", ")}]`)
  }
  const lengths = new Set<number>()
  for (const k of got) {
    const col = new_data[k]
    if (!is_column(col)) throw new DocumentError("BK_ERR_BAD_PATCH", `stream column '${k}' must be an array, got ${preview(col)}`)
    const current = own<Column>(data, k)
    if (current !== undefined && is_numeric(current) && Array.isArray(col)) check_numbers(current, k, col)
    lengths.add(column_length(col as Column))
  }
  if (lengths.size > 1) throw new DocumentError("BK_ERR_BAD_PATCH", `stream columns must all have the same length, got ${[...lengths].join(", ")}`)
  if (rollover != null && (!Number.isInteger(rollover) || rollover < 0))
    throw new DocumentError("BK_ERR_BAD_PATCH", `rollover must be a non-negative integer, got ${preview(rollover)}`)
}

/** Appends `new_data` to the columns of `data` (in place) and keeps the last `rollover` rows. */
export function apply_stream(data: ColumnData, new_data: Record<string, unknown>, rollover: number | null | undefined): void {
  for (const k of Object.keys(new_data)) {
    const old = own<Column>(data, k)
    let col = old === undefined ? (new_data[k] as Column) : concat_columns(old, new_data[k] as Column)
    if (rollover != null && column_length(col) > rollover) col = tail(col, rollover)
    set_own(data, k, col)
  }
}

function resolve_index(index: unknown, length: number, col: string): number[] {
  if (typeof index === "number") {
    if (!Number.isInteger(index) || index < 0 || index >= length)
      throw new DocumentError("BK_ERR_BAD_PATCH", `patch index ${index} is out of range for column '${col}' of length ${length}`)
    return [index]
  }
  if (index instanceof Slice) return index.indices(length)
  throw new DocumentError("BK_ERR_BAD_PATCH", `patch index must be an integer or a slice, got ${preview(index)}`)
}

/**
 * Checks every patch against the data before anything is changed: the column exists (an own key),
 * indices are in range, and a numeric (typed array) column or cell gets numbers only.
 */
export function check_patches(data: ColumnData, patches: Record<string, unknown>): void {
  for (const [name, list] of Object.entries(patches)) {
    const col = own<Column>(data, name)
    if (col === undefined) throw new DocumentError("BK_ERR_BAD_PATCH", `can't patch column '${name}': the source has no such column`)
    if (!Array.isArray(list)) throw new DocumentError("BK_ERR_BAD_PATCH", `patches for '${name}' must be a list of [index, value] pairs`)
    const length = column_length(col)
    for (const item of list) {
      if (!Array.isArray(item) || item.length !== 2) throw new DocumentError("BK_ERR_BAD_PATCH", `a patch must be an [index, value] pair, got ${preview(item)}`)
      const [index, value] = item
      if (Array.isArray(index)) {
        if (index.length !== 3) throw new DocumentError("BK_ERR_BAD_PATCH", `a 2-d patch index must be [row, i, j], got ${preview(index)}`)
        const [row, i, j] = index as unknown[]
        if (typeof row !== "number") throw new DocumentError("BK_ERR_BAD_PATCH", `the row of a 2-d patch of '${name}' must be an integer, got ${preview(row)}`)
        const rows = resolve_index(row, length, name)
        const cell = cell_of(col, rows[0]!)
        if (!(cell instanceof NDArray) || cell.shape.length !== 2)
          throw new DocumentError("BK_ERR_BAD_PATCH", `2-d patch of '${name}'[${row}] needs a 2-d array cell`)
        const is = resolve_index(i, cell.shape[0]!, name)
        const js = resolve_index(j, cell.shape[1]!, name)
        const n = is.length * js.length
        if (n > 1 && ((!Array.isArray(value) && !is_typed_array(value)) || (value as ArrayLike<unknown>).length !== n))
          throw new DocumentError("BK_ERR_BAD_PATCH", `2-d patch of '${name}' needs ${n} values`)
        if (is_typed_array(cell.data)) check_numbers(cell, name, n === 1 && !Array.isArray(value) && !is_typed_array(value) ? [value] : value)
      } else {
        const idx = resolve_index(index, length, name)
        if (index instanceof Slice && ((!Array.isArray(value) && !is_typed_array(value)) || (value as ArrayLike<unknown>).length !== idx.length)) {
          throw new DocumentError("BK_ERR_BAD_PATCH", `slice patch of '${name}' selects ${idx.length} items but got ${preview(value)}`)
        }
        if (is_numeric(col)) check_numbers(col, name, index instanceof Slice ? value : [value])
      }
    }
  }
}

function is_numeric(col: Column): boolean {
  return is_typed_array(col) || (col instanceof NDArray && is_typed_array(col.data))
}

/**
 * A numeric column stores what it is given as numbers (a string would silently become NaN): refuse anything
 * else. A bool column (NumPy bool, stored as bytes) takes booleans too.
 */
function check_numbers(col: Column, name: string, values: unknown): void {
  if (is_typed_array(values)) return
  const takes_bool = col instanceof NDArray && col.dtype === "bool"
  for (const v of values as unknown[]) {
    if (typeof v !== "number" && !(takes_bool && typeof v === "boolean"))
      throw new DocumentError("BK_ERR_BAD_PATCH", `column '${name}' holds numbers (a typed array), so it can't take ${preview(v)}`)
  }
}

function cell_of(col: Column, row: number): unknown {
  return col instanceof NDArray ? undefined : (col as ArrayLike<unknown>)[row]
}

/** How a patched value is stored in a column: bool arrays hold 0/1 (NumPy stores `bool(value)`). */
function stored_as(col: unknown): (value: unknown) => unknown {
  return col instanceof NDArray && col.dtype === "bool" ? (value) => (value ? 1 : 0) : (value) => value
}

/**
 * The data as it will be after `patches` (already checked), as far as later checks can tell: list
 * columns a row or slice patch touches are copied and patched (a cell may become a 2-d array, or stop
 * being one); typed and NDArray columns keep their length and kind whatever goes in, as do 2-d cells,
 * so they are shared, not copied. Never changes `data` or its arrays.
 */
export function patched_copy(data: ColumnData, patches: Record<string, unknown>): ColumnData {
  const out: ColumnData = { ...data }
  const rows: Record<string, unknown> = {}
  for (const [name, list] of Object.entries(patches)) {
    const col = own<Column>(data, name)
    if (!Array.isArray(col)) continue
    set_own(out, name, col.slice())
    set_own(
      rows,
      name,
      (list as Array<[unknown, unknown]>).filter(([index]) => !Array.isArray(index)),
    )
  }
  apply_patches(out, rows)
  return out
}

/** Applies checked patches in place. */
export function apply_patches(data: ColumnData, patches: Record<string, unknown>): void {
  for (const [name, list] of Object.entries(patches)) {
    const col = own<Column>(data, name)!
    const target = col instanceof NDArray ? (col.data as unknown[]) : (col as unknown[])
    const stored = stored_as(col)
    for (const [index, value] of list as Array<[unknown, unknown]>) {
      if (Array.isArray(index)) {
        const [row, i, j] = index
        const cell = target[row as number] as NDArray
        const [h, w] = cell.shape as [number, number]
        const is = resolve_index(i, h, name)
        const js = resolve_index(j, w, name)
        const values = is.length * js.length === 1 && !Array.isArray(value) && !is_typed_array(value) ? [value] : Array.from(value as ArrayLike<unknown>)
        let n = 0
        const cells = cell.data as unknown[]
        const cell_stored = stored_as(cell)
        for (const a of is) for (const b of js) cells[a * w + b] = cell_stored(values[n++])
      } else if (index instanceof Slice) {
        const idx = index.indices(column_length(col))
        const values = Array.from(value as ArrayLike<unknown>)
        idx.forEach((k, n) => (target[k] = stored(values[n])))
      } else {
        target[index as number] = stored(value)
      }
    }
  }
}

const column_data_source_classes = new WeakMap<object, boolean>()

/**
 * Whether `model` is a ColumnDataSource (or a subclass), decided once per class by the wire names along
 * its class chain. Only a ColumnDataSource's `data` holds column data: the column events (ColumnDataChanged,
 * ColumnsStreamed, ColumnsPatched) and the data-replacement event apply to nothing else.
 */
export function is_column_data_source(model: object): boolean {
  const cls = model.constructor
  let known = column_data_source_classes.get(cls)
  if (known === undefined) {
    known = false
    for (let c: unknown = cls; typeof c === "function"; c = Object.getPrototypeOf(c)) {
      if ((c as { __name__?: string }).__name__ === "ColumnDataSource") known = true
    }
    column_data_source_classes.set(cls, known)
  }
  return known
}

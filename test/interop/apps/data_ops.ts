// The data of the `data` twin apps and the streams and patches the tests apply to it: the same as
// ../py/data_ops.py in TypeScript (keep them in step). Typed arrays of every NumPy dtype Bokeh sends as binary,
// bool NDArrays, string ObjectArrays, datetimes as float64 milliseconds (what Python sends datetime64 as), 2-D images.
import type { Document } from "../../../src/document/document.ts"
import { ColumnDataSource } from "../../../src/models/main.ts"
import { NDArray, ObjectArray, ndarray } from "../../../src/core/util/ndarray.ts"
import { slice, type Patches } from "../../../src/core/util/column_data.ts"

export const ROLLOVER = 6
const CTORS = [Float64Array, Float32Array, Int8Array, Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array] as const
const COLUMNS = ["f64", "f32", "i8", "i16", "i32", "u8", "u16", "u32"] as const
const BASE = [0.5, 0.25, -1, -1000, -100000, 1, 1000, 4_000_000_000]
const DAY = 86_400_000

function rows(n: number, start: number): Record<string, unknown> {
  const data: Record<string, unknown> = {}
  COLUMNS.forEach((c, j) => {
    const b = BASE[j]!
    data[c] = new CTORS[j]!(Array.from({ length: n }, (_, i) => b + (b >= 0 ? start + i : -(start + i))))
  })
  const idx = Array.from({ length: n }, (_, i) => start + i)
  data["b"] = ndarray(
    idx.map((i) => i % 2 === 0),
    [n],
    "bool",
  )
  data["dt"] = Float64Array.from(idx, (i) => Date.UTC(2024, 0, 1) + i * DAY)
  data["s"] = ObjectArray.from(idx.map((i) => `s${i}é`))
  return data
}

export const initial = (): Record<string, unknown> => rows(4, 0)

export function initial_images(): Record<string, unknown> {
  return {
    img: [
      ndarray(
        Float64Array.from({ length: 6 }, (_, i) => i),
        [2, 3],
      ),
    ],
    u8img: [
      ndarray(
        Uint8Array.from({ length: 6 }, (_, i) => i),
        [3, 2],
      ),
    ],
  }
}

export const stream_rows = (k: number): Record<string, unknown> => rows(2, 10 * k)

export function stream_images(k: number): Record<string, unknown> {
  return { img: [ndarray(new Float64Array(6).fill(k), [2, 3])], u8img: [ndarray(new Uint8Array(6).fill(k), [3, 2])] }
}

export function patches(k: number): Patches {
  return {
    f64: [[0, k + 0.125]],
    i8: [[1, -k]],
    u32: [[2, 3_000_000_000 + k]],
    b: [
      [0, false],
      [1, true],
    ],
    s: [[2, `p${k}✓`]],
    f32: [[slice(0, 2), new Float32Array([k, k + 0.5])]],
    u16: [[slice(1, 4, 2), [k, k + 1]]],
    i16: [[slice(null, 4), [k, k, k, k]]],
  }
}

export function image_patches(k: number): Patches {
  return {
    img: [
      [
        [0, 0, slice(0, 2)],
        [k, k + 1],
      ],
    ],
    u8img: [
      [
        [0, slice(1, 3), 1],
        [k, k + 1],
      ],
    ],
  }
}

/** Applies "stream:k" or "patch:k" to the named sources of doc. */
export function apply(doc: Document, op: string): void {
  const [kind, k] = op.split(":") as [string, string]
  const cds = doc.select_one({ name: "cds" }) as ColumnDataSource
  const images = doc.select_one({ name: "images" }) as ColumnDataSource
  if (kind === "stream") {
    cds.stream(stream_rows(Number(k)) as Record<string, ArrayLike<unknown>>, ROLLOVER)
    images.stream(stream_images(Number(k)) as Record<string, ArrayLike<unknown>>, ROLLOVER)
  } else if (kind === "patch") {
    cds.patch(patches(Number(k)))
    images.patch(image_patches(Number(k)))
  } else throw new Error(`unknown op ${op}`)
}

export { NDArray }

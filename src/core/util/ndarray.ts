/**
 * N-dimensional arrays as they travel in `ndarray` reps. One-dimensional numeric arrays are plain typed
 * arrays, one-dimensional object (or string) arrays are `ObjectArray`s; anything else (2-D images, bool
 * dtype) is an `NDArray` keeping dtype and shape.
 */
import type { TypedArray } from "./types.ts"

export type DType = "uint8" | "int8" | "uint16" | "int16" | "uint32" | "int32" | "float32" | "float64"
export type NDDType = DType | "bool" | "object"

export const dtype_constructors = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const

export function dtype_of(array: TypedArray): DType {
  if (array instanceof Float64Array) return "float64"
  if (array instanceof Float32Array) return "float32"
  if (array instanceof Int32Array) return "int32"
  if (array instanceof Uint32Array) return "uint32"
  if (array instanceof Int16Array) return "int16"
  if (array instanceof Uint16Array) return "uint16"
  if (array instanceof Int8Array) return "int8"
  return "uint8"
}

export class NDArray {
  constructor(
    /** Flat data in C order. */
    readonly data: TypedArray | unknown[],
    readonly shape: readonly number[],
    readonly dtype: NDDType,
  ) {}

  get length(): number {
    return this.shape[0] ?? 0
  }
}

/** `ndarray(data, shape)`: a 2-D image or other n-d block for image glyphs. */
export function ndarray(data: TypedArray | unknown[], shape: readonly number[], dtype?: NDDType): NDArray {
  const dt = dtype ?? (Array.isArray(data) ? "object" : dtype_of(data))
  return new NDArray(data, shape, dt)
}

/**
 * A 1-D NumPy array of object or string dtype as a peer sent it (an `ndarray` rep with dtype "object").
 * It is an ordinary array to every reader and every kind (a `List(Str)` property accepts it, as Python's
 * `Seq` accepts NumPy arrays), but it goes back out as the same ndarray rep, as Python's server keeps the
 * array's dtype. Build one with `ObjectArray.from(list)`.
 */
export class ObjectArray<T = unknown> extends Array<T> {}

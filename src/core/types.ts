/** Value types shared by generated models and the public API. */
import type { TypedArray } from "./util/types.ts"

export type { TypedArray }
/** A CSS color string, a packed 0xRRGGBBAA integer, or an [r, g, b] / [r, g, b, a] tuple. */
export type Color = string | number | [number, number, number] | [number, number, number, number]
/** A categorical coordinate: a factor, or a (factor, subfactor[, subsubfactor]) tuple. */
export type Factor = string | [string, string] | [string, string, string]
/** A column of values; numeric columns may be typed arrays (sent as binary buffers). */
export type Arrayable<T = unknown> = T[] | (number extends T ? TypedArray : never)

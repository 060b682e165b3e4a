/**
 * Decoders for the reps that hold no models: numbers (with NaN and infinities spelled as strings), dates,
 * bytes (inline base64 or a binary buffer), typed arrays and ndarrays (any byte order, aligned copies only
 * when needed). The Deserializer (./deserializer.ts) walks values and resolves references; these turn one
 * rep's already decoded parts into a value, or throw a coded SerializationError.
 */
import { SerializationError, preview } from "../errors.ts"
import { NDArray, ObjectArray, dtype_constructors, type NDDType } from "../util/ndarray.ts"
import { own } from "../util/own.ts"
import { is_plain_object } from "../util/types.ts"
import { aligned_copy, base64_to_bytes } from "./bytes.ts"

const little_endian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

export function malformed(message: string): SerializationError {
  return new SerializationError("BK_ERR_MALFORMED_REP", message)
}

export function decode_number(v: unknown): number {
  if (typeof v === "number") return v
  switch (v) {
    case "nan":
      return NaN
    case "+inf":
      return Infinity
    case "-inf":
      return -Infinity
    default:
      throw malformed(`a number rep's value must be a number, "nan", "+inf" or "-inf", got ${preview(v)}`)
  }
}

export function decode_date(iso: unknown): Date {
  const d = typeof iso === "string" ? new Date(iso) : new Date(NaN)
  if (Number.isNaN(d.getTime())) throw malformed(`a date rep needs an ISO 'iso' string, got ${preview(iso)}`)
  return d
}

/** An ndarray rep's value from its decoded `array` (bytes or a list), checked against `shape`. */
export function ndarray_from(decoded: unknown, dtype: unknown, shape: number[], order: unknown): unknown {
  const size = shape.reduce((a: number, b: number) => a * b, 1)
  let data: NDArray["data"]
  if (decoded instanceof Uint8Array) {
    if (dtype === "object") throw new SerializationError("BK_ERR_BAD_NDARRAY", "an object ndarray can't be given as bytes")
    data = dtype === "bool" ? aligned_if_needed(decoded) : typed_array_from(decoded, dtype, order)
  } else if (Array.isArray(decoded)) {
    // Bools are kept as bytes (0/1) however they came, so every bool column has one representation.
    data = dtype === "object" ? decoded : dtype === "bool" ? Uint8Array.from(decoded, (x) => (x ? 1 : 0)) : from_list(decoded, dtype)
  } else {
    throw new SerializationError("BK_ERR_BAD_NDARRAY", `ndarray 'array' must be bytes or a list, got ${preview(decoded)}`)
  }
  if (data.length !== size) throw new SerializationError("BK_ERR_BAD_NDARRAY", `ndarray of shape [${shape.join(", ")}] needs ${size} items, got ${data.length}`)
  if (shape.length === 1 && dtype !== "bool" && dtype !== "object") return data
  if (shape.length === 1 && dtype === "object") return ObjectArray.from(data)
  return new NDArray(data, shape, dtype as NDDType)
}

/** A bytes rep's `data`: base64 inline, or `{id}` naming one of the message's binary buffers. */
export function bytes_from(data: unknown, buffers: ReadonlyMap<string, Uint8Array>): Uint8Array {
  if (typeof data === "string") return base64_to_bytes(data)
  if (is_plain_object(data) && typeof data["id"] === "string") {
    const buffer = buffers.get(data["id"])
    if (buffer === undefined) throw new SerializationError("BK_ERR_MISSING_BUFFER", `buffer '${data["id"]}' is referenced but was not sent with the message`)
    return buffer
  }
  throw malformed(`a bytes rep needs 'data' as base64 or {id}, got ${preview(data)}`)
}

function dtype_ctor(dtype: unknown): (typeof dtype_constructors)[keyof typeof dtype_constructors] | undefined {
  return typeof dtype === "string" ? own(dtype_constructors, dtype) : undefined
}

function aligned_if_needed(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset % 8 === 0 ? bytes : aligned_copy(bytes)
}

/** A typed array of `dtype` over `bytes` (copied only when unaligned or byte-swapped). */
export function typed_array_from(bytes: Uint8Array, dtype: unknown, order: unknown) {
  const ctor = dtype_ctor(dtype)
  if (ctor === undefined) throw new SerializationError("BK_ERR_BAD_NDARRAY", `unsupported dtype ${preview(dtype)}`)
  if (bytes.byteLength % ctor.BYTES_PER_ELEMENT !== 0)
    throw new SerializationError("BK_ERR_BAD_NDARRAY", `${bytes.byteLength} bytes is not a whole number of ${dtype} items`)
  const src = bytes.byteOffset % ctor.BYTES_PER_ELEMENT === 0 ? bytes : aligned_copy(bytes)
  if (order !== undefined && order !== "little" && order !== "big")
    throw new SerializationError("BK_ERR_BAD_NDARRAY", `byte order must be "little" or "big", got ${preview(order)}`)
  const swap = order !== undefined && (order === "little") !== little_endian
  const use = swap ? aligned_copy(src) : src
  if (swap) swap_bytes(use, ctor.BYTES_PER_ELEMENT)
  return new ctor(use.buffer as ArrayBuffer, use.byteOffset, use.byteLength / ctor.BYTES_PER_ELEMENT)
}

function swap_bytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a]!
      bytes[a] = bytes[b]!
      bytes[b] = t
    }
  }
}

function from_list(list: unknown[], dtype: unknown) {
  const ctor = dtype_ctor(dtype)
  if (ctor === undefined) throw new SerializationError("BK_ERR_BAD_NDARRAY", `unsupported dtype ${preview(dtype)}`)
  if (!list.every((x) => typeof x === "number")) throw new SerializationError("BK_ERR_BAD_NDARRAY", `a ${dtype} ndarray list must hold numbers only`)
  return ctor.from(list as number[])
}
